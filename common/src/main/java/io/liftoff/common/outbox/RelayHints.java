package io.liftoff.common.outbox;

import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Tells the outbox relay, when one runs, that a document has new events ({@link OutboxRelay#wake(String, Object)}).
 * <p>
 * The relay is looked up once, on the first hint: {@link ObjectProvider#ifAvailable} resolves the bean anew on every
 * call, which was an eighth of checklist-service's CPU for an item update. A service whose relay is switched off
 * ({@code liftoff.outbox.enabled=false}) gets no bean, and its hints do nothing.
 */
public final class RelayHints {

    private final ObjectProvider<OutboxRelay> provider;
    private volatile Optional<OutboxRelay> relay;

    public RelayHints(ObjectProvider<OutboxRelay> provider) {
        this.provider = provider;
    }

    /** The document {@code id} of {@code collection} has events to relay. */
    public void wake(String collection, Object id) {
        relay().ifPresent(r -> r.wake(collection, id));
    }

    /** Something has events to relay: a full sweep soon. */
    public void wakeAll() {
        relay().ifPresent(OutboxRelay::wake);
    }

    private Optional<OutboxRelay> relay() {
        Optional<OutboxRelay> resolved = relay;
        if (resolved == null) {
            resolved = Optional.ofNullable(provider.getIfAvailable());
            relay = resolved;
        }
        return resolved;
    }
}
