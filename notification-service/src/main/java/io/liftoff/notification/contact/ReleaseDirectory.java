package io.liftoff.notification.contact;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.liftoff.notification.checklist.api.model.ContactSpec;
import io.liftoff.notification.checklist.api.model.Item;
import io.liftoff.notification.checklist.api.model.ItemKind;
import io.liftoff.notification.checklist.api.model.Release;
import io.liftoff.notification.config.NotificationProperties;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Reads releases from checklist-service through the generated Feign client and keeps each for a short while
 * ({@code liftoff.notification.contacts-ttl}), so a burst of events of one release costs one call. Failures are not
 * kept: the next event asks again (the circuit breaker keeps that cheap while checklist-service is down).
 */
@Component
public class ReleaseDirectory {

    private record Cached(ReleaseView.Lookup lookup, Instant until) {
    }

    private final ChecklistClient client;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ReleaseDirectory(ChecklistClient client, NotificationProperties properties, Clock clock) {
        this.client = client;
        this.ttl = properties.contactsTtl();
        this.clock = clock;
    }

    public ReleaseView.Lookup lookup(String releaseId) {
        if (releaseId == null || releaseId.isBlank()) {
            return ReleaseView.Lookup.notFound();
        }
        Instant now = clock.instant();
        Cached cached = cache.get(releaseId);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.lookup();
        }
        ReleaseView.Lookup lookup = fetch(releaseId);
        if (lookup.outcome() != ReleaseView.Lookup.Outcome.UNAVAILABLE && !ttl.isZero()) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(releaseId, new Cached(lookup, now.plus(ttl)));
        }
        return lookup;
    }

    /** Forgets a release, so its next lookup reads checklist-service again. */
    public void forget(String releaseId) {
        cache.remove(releaseId);
    }

    private ReleaseView.Lookup fetch(String releaseId) {
        ResponseEntity<Release> response;
        try {
            response = client.getRelease(releaseId);
        }
        catch (RuntimeException ex) {
            return ReleaseView.Lookup.unavailable(ChecklistFallback.describe(ex));
        }
        if (response.getStatusCode().value() == 404) {
            return ReleaseView.Lookup.notFound();
        }
        Release release = response.getBody();
        if (!response.getStatusCode().is2xxSuccessful() || release == null) {
            String cause = response.getHeaders().getFirst(ChecklistFallback.CAUSE_HEADER);
            return ReleaseView.Lookup.unavailable(cause != null ? cause : "status " + response.getStatusCode().value());
        }
        return ReleaseView.Lookup.found(toView(release));
    }

    static ReleaseView toView(Release release) {
        Map<String, ReleaseView.ItemInfo> items = new LinkedHashMap<>();
        List<ReleaseView.Contact> contacts = new ArrayList<>();
        collect(release.getItems(), items, contacts);
        return new ReleaseView(release.getId(), release.getProduct(), release.getVersion(),
                release.getStatus() == null ? null : release.getStatus().getValue(), Map.copyOf(items),
                List.copyOf(contacts));
    }

    private static void collect(List<Item> list, Map<String, ReleaseView.ItemInfo> items,
            List<ReleaseView.Contact> contacts) {
        if (list == null) {
            return;
        }
        for (Item item : list) {
            if (item.getId() != null) {
                items.put(item.getId(), new ReleaseView.ItemInfo(item.getKey(), item.getText(),
                        item.getKind() == null ? null : item.getKind().getValue()));
            }
            if (item.getKind() == ItemKind.CONTACT && item.getContact() != null) {
                ContactSpec c = item.getContact();
                contacts.add(new ReleaseView.Contact(c.getType() == null ? null : c.getType().getValue(), c.getRole(),
                        c.getName(), c.getPhone(), c.getEmail(), c.getLevel(),
                        c.getMembers() == null ? List.of() : List.copyOf(c.getMembers()), c.getChannel(),
                        c.getAddress(), Boolean.TRUE.equals(c.getPrimary()), c.getNote()));
            }
            collect(item.getChildren(), items, contacts);
        }
    }
}
