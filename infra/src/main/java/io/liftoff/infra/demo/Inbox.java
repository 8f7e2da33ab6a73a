package io.liftoff.infra.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo receiver got, newest first, in memory: the last {@code capacity} messages (older ones are dropped, so
 * a platform left running does not grow without bound). Lost when the receiver stops; it is a demo inbox, not a store.
 */
final class Inbox {

    /**
     * One message as received.
     *
     * @param id         its number since the receiver started (1, 2, ...)
     * @param receivedAt when it arrived
     * @param channel    {@code webhook} (Liftoff's signed webhook), {@code slack} (Slack's message JSON),
     *                   {@code http} (another POST) or {@code email}
     * @param target     the path it was posted to, or the e-mail's recipients
     * @param title      the event type, the Slack text's first line, or the e-mail's subject
     * @param signature  for webhooks: {@code valid}, {@code invalid}, {@code stale} (valid, but the timestamp is more
     *                   than five minutes away) or {@code unsigned}; null for other channels
     * @param answered   the HTTP status the receiver answered (250 for an accepted e-mail)
     * @param headers    the headers worth seeing (Liftoff's, content type; e-mail: From, To, Subject, parts)
     * @param body       the body as text (an e-mail's plain-text part)
     */
    record Message(long id, Instant receivedAt, String channel, String target, String title, String signature,
            int answered, Map<String, String> headers, String body) {
    }

    private final int capacity;
    private final Deque<Message> messages = new ArrayDeque<>();
    private long next = 1;

    Inbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the inbox must keep at least one message, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds a message, giving it the next number; drops the oldest beyond the capacity. */
    synchronized Message add(Instant receivedAt, String channel, String target, String title, String signature,
            int answered, Map<String, String> headers, String body) {
        Message message = new Message(next++, receivedAt, channel, target, title, signature, answered,
                Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body);
        messages.addFirst(message);
        while (messages.size() > capacity) {
            messages.removeLast();
        }
        return message;
    }

    /** Newest first. */
    synchronized List<Message> list() {
        return new ArrayList<>(messages);
    }

    synchronized void clear() {
        messages.clear();
    }
}
