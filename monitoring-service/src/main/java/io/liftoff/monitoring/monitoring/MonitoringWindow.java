package io.liftoff.monitoring.monitoring;

import java.time.Duration;
import java.time.Instant;

/** A monitoring window named by a checklist section: it opens at deployment and closes after its duration. */
public class MonitoringWindow {

    private String key;
    private String title;
    private String duration;
    private Instant opensAt;
    private Instant closesAt;
    private boolean closed;
    private String verdict = "PENDING";

    MonitoringWindow() {
    }

    MonitoringWindow(String key, String title, Duration duration, Instant opensAt) {
        this.key = key;
        this.title = title;
        this.duration = duration.toString();
        this.opensAt = opensAt;
        this.closesAt = opensAt.plus(duration);
    }

    void close(String verdict) {
        this.closed = true;
        this.verdict = verdict;
    }

    public String getKey() {
        return key;
    }

    public String getTitle() {
        return title;
    }

    public String getDuration() {
        return duration;
    }

    public Instant getOpensAt() {
        return opensAt;
    }

    public Instant getClosesAt() {
        return closesAt;
    }

    public boolean isClosed() {
        return closed;
    }

    public String getVerdict() {
        return verdict;
    }
}
