package io.liftoff.common.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events an aggregate has raised and not yet delivered, stored inside the aggregate's own document so that a
 * state change and its event are one single-document write. The {@link OutboxRelay} claims a document through
 * {@code leaseUntil}/{@code leaseOwner}, delivers {@code pending} in order and removes each delivered event; on a
 * failure it sets {@code nextAttemptAt} with backoff. Application code only calls {@link #add}.
 */
public class Outbox {

    private List<OutboxEvent> pending = new ArrayList<>();
    private Instant nextAttemptAt;
    /** Free when in the past; never absent (see {@link OutboxRelay}: absent fields defeat the embedded store's index). */
    private Instant leaseUntil = OutboxRelay.FREE_UNTIL;
    private String leaseOwner = OutboxRelay.NO_OWNER;
    private int attempts;

    public void add(OutboxEvent event) {
        pending.add(event);
        if (nextAttemptAt == null) {
            nextAttemptAt = event.occurredAt();
        }
    }

    public List<OutboxEvent> getPending() {
        return pending;
    }

    public void setPending(List<OutboxEvent> pending) {
        this.pending = pending == null ? new ArrayList<>() : new ArrayList<>(pending);
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    public void setNextAttemptAt(Instant nextAttemptAt) {
        this.nextAttemptAt = nextAttemptAt;
    }

    public Instant getLeaseUntil() {
        return leaseUntil;
    }

    public void setLeaseUntil(Instant leaseUntil) {
        this.leaseUntil = leaseUntil;
    }

    public String getLeaseOwner() {
        return leaseOwner;
    }

    public void setLeaseOwner(String leaseOwner) {
        this.leaseOwner = leaseOwner;
    }

    public int getAttempts() {
        return attempts;
    }

    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }
}
