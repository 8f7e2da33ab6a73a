package io.liftoff.notification.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.liftoff.common.testing.Api;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Helpers for tests that start the service as processes of their own (a restart, two replicas): the release that
 * checklist-service answers, a client for a started instance, and what a WireMock receiver got per event.
 */
public final class ServiceProcesses {

    private ServiceProcesses() {
    }

    /** The fixture release as checklist-service answers it, with the given id. */
    public static String release(String releaseId) {
        try (InputStream in = ServiceProcesses.class.getResourceAsStream("/checklist/release-toolboxai-1.1.0.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("RELEASE_ID", releaseId);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A client for an instance started on a random port. */
    public static Api api(ConfigurableApplicationContext context) {
        return new Api("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
    }

    /** How often the receiver got each event (by its {@code X-Liftoff-Event-Id}) on {@code path}. */
    public static Map<String, Long> receiptsByEvent(WireMockServer receiver, String path) {
        return receiver.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(path))
                .map(e -> e.getRequest().getHeader("X-Liftoff-Event-Id"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
