package io.liftoff.notification.contact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.notification.channel.EmailAddresses;
import io.liftoff.notification.config.NotificationProblems;
import io.liftoff.notification.config.NotificationProperties;
import io.liftoff.notification.config.ShortCache;
import io.liftoff.notification.config.ProductAccess;
import io.liftoff.notification.contact.ContactOverridesDoc.ChannelOverride;
import io.liftoff.notification.contact.ContactOverridesDoc.LevelOverride;
import io.liftoff.notification.contact.ContactOverridesDoc.PersonOverride;
import io.liftoff.notification.contact.Contacts.Origin;
import io.liftoff.notification.contact.Contacts.Person;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Service;

/**
 * The effective contacts of a release. People are matched to the checklist's on-call roles and escalation members
 * by role name with case and punctuation ignored ("Release Manager" also matches "Primary Release Manager"); a level
 * given in an override replaces the checklist's members of that level; a channel address replaces the checklist's.
 */
@Service
public class ContactDirectory {

    private final ReleaseDirectory releases;
    private final MongoTemplate mongo;
    private final ShortCache<String, java.util.Optional<ContactOverridesDoc>> overrides;
    /**
     * The last merge of each release, reused while its inputs are the very objects it was made from: the release as
     * {@link ReleaseDirectory} keeps it and the overrides as their cache keeps them, so a change to either (a new
     * read after its time to live, or an override saved here) makes a new merge. Routing merges once per event, and
     * merging every time was a sixth of the router's CPU in the delivery benchmark.
     */
    private final Map<String, Merged> merged = new java.util.concurrent.ConcurrentHashMap<>();

    private record Merged(ReleaseView release, ContactOverridesDoc productLayer, ContactOverridesDoc releaseLayer,
            boolean unavailable, Contacts contacts) {

        boolean madeFrom(ReleaseView r, ContactOverridesDoc p, ContactOverridesDoc l, boolean u) {
            return release == r && productLayer == p && releaseLayer == l && unavailable == u;
        }
    }

    public ContactDirectory(ReleaseDirectory releases, MongoTemplate mongo, NotificationProperties properties) {
        this.releases = releases;
        this.mongo = mongo;
        this.overrides = new ShortCache<>(properties.configTtl());
    }

    private ContactOverridesDoc overrides(String id) {
        return overrides.get(id, key -> java.util.Optional.ofNullable(mongo.findById(key, ContactOverridesDoc.class)))
                .orElse(null);
    }

    /** For routing: the contacts of a release of a product, whatever checklist-service answers. */
    public Contacts contactsFor(String product, String releaseId, ReleaseView.Lookup lookup) {
        ReleaseView release = lookup.outcome() == ReleaseView.Lookup.Outcome.FOUND
                && product.equals(lookup.release().product()) ? lookup.release() : null;
        return merge(product, releaseId, release, lookup.outcome() == ReleaseView.Lookup.Outcome.UNAVAILABLE);
    }

    /** For the API: 404 when checklist-service says the release does not exist or is another product's. */
    public Contacts contactsOf(CurrentUser user, String product, String releaseId) {
        ProductAccess.requireRead(user, product, "Release", releaseId);
        ReleaseView.Lookup lookup = releases.lookup(releaseId);
        if (lookup.outcome() == ReleaseView.Lookup.Outcome.NOT_FOUND || (lookup.outcome()
                == ReleaseView.Lookup.Outcome.FOUND && !product.equals(lookup.release().product()))) {
            throw ProblemException.notFound("Release", releaseId);
        }
        return merge(product, releaseId, lookup.release(),
                lookup.outcome() == ReleaseView.Lookup.Outcome.UNAVAILABLE);
    }

    public ContactOverridesDoc productOverrides(CurrentUser user, String product) {
        ProductAccess.requireRead(user, product, "Product", product);
        ContactOverridesDoc doc = mongo.findById(ContactOverridesDoc.idOf(product, null), ContactOverridesDoc.class);
        if (doc == null) {
            doc = new ContactOverridesDoc();
            doc.product = product;
        }
        return doc;
    }

    public ContactOverridesDoc putProductOverrides(CurrentUser user, String product, ContactOverridesDoc overrides) {
        ProductAccess.requireWrite(user, product, "Product", product);
        return save(user, product, null, overrides);
    }

    public Contacts putReleaseOverrides(CurrentUser user, String product, String releaseId,
            ContactOverridesDoc overrides) {
        contactsOf(user, product, releaseId);
        ProductAccess.requireWrite(user, product, "Release", releaseId);
        save(user, product, releaseId, overrides);
        return contactsOf(user, product, releaseId);
    }

    private ContactOverridesDoc save(CurrentUser user, String product, String releaseId, ContactOverridesDoc doc) {
        validate(doc);
        doc.id = ContactOverridesDoc.idOf(product, releaseId);
        doc.product = product;
        doc.releaseId = releaseId;
        doc.updatedBy = user.name();
        ContactOverridesDoc stored = mongo.save(doc);
        overrides.clear();
        return stored;
    }

    private static void validate(ContactOverridesDoc doc) {
        for (int i = 0; i < doc.people.size(); i++) {
            String email = doc.people.get(i).email();
            if (email != null && !EmailAddresses.isValid(email)) {
                throw NotificationProblems.invalidEmail("people[" + i + "].email", email);
            }
        }
        for (int i = 0; i < doc.channels.size(); i++) {
            ChannelOverride channel = doc.channels.get(i);
            if ("EMAIL".equals(channel.channel()) && channel.address() != null
                    && !EmailAddresses.isValid(channel.address())) {
                throw NotificationProblems.invalidEmail("channels[" + i + "].address", channel.address());
            }
        }
    }

    Contacts merge(String product, String releaseId, ReleaseView release, boolean unavailable) {
        ContactOverridesDoc productLayer = overrides(ContactOverridesDoc.idOf(product, null));
        ContactOverridesDoc releaseLayer = releaseId == null ? null
                : overrides(ContactOverridesDoc.idOf(product, releaseId));
        String key = product + '\n' + releaseId;
        Merged last = merged.get(key);
        if (last != null && last.madeFrom(release, productLayer, releaseLayer, unavailable)) {
            return last.contacts();
        }
        Contacts contacts = build(product, releaseId, release, unavailable, productLayer, releaseLayer);
        if (merged.size() > 10_000) {
            merged.clear();
        }
        merged.put(key, new Merged(release, productLayer, releaseLayer, unavailable, contacts));
        return contacts;
    }

    private Contacts build(String product, String releaseId, ReleaseView release, boolean unavailable,
            ContactOverridesDoc productLayer, ContactOverridesDoc releaseLayer) {
        Map<String, Person> people = new LinkedHashMap<>();
        Map<Integer, Contacts.Level> levels = new TreeMap<>();
        Map<String, Contacts.ChannelAddress> channels = new LinkedHashMap<>();
        if (release != null) {
            for (ReleaseView.Contact c : release.contacts()) {
                switch (c.type() == null ? "" : c.type()) {
                    case "ON_CALL" -> people.put(Contacts.normalize(c.role()),
                            new Person(c.role(), c.name(), c.email(), c.phone(), Origin.CHECKLIST));
                    case "ESCALATION_LEVEL" -> {
                        if (c.level() != null) {
                            levels.put(c.level(), new Contacts.Level(c.level(),
                                    c.members().stream().map(m -> new Person(m, null, null, null, Origin.CHECKLIST))
                                            .toList(),
                                    Origin.CHECKLIST));
                        }
                    }
                    case "CHANNEL" -> channels.put(c.channel(),
                            new Contacts.ChannelAddress(c.channel(), c.address(), c.primary(), c.note()));
                    default -> {
                    }
                }
            }
        }
        List<ContactOverridesDoc> layers = new ArrayList<>();
        if (productLayer != null) {
            layers.add(productLayer);
        }
        if (releaseLayer != null) {
            layers.add(releaseLayer);
        }
        for (ContactOverridesDoc layer : layers) {
            Origin origin = layer.releaseId == null ? Origin.PRODUCT : Origin.RELEASE;
            for (PersonOverride p : layer.people) {
                String key = Contacts.normalize(p.role());
                Person before = people.get(key);
                people.put(key, new Person(before != null ? before.role() : p.role(),
                        first(p.name(), before == null ? null : before.name()),
                        first(p.email(), before == null ? null : before.email()),
                        first(p.phone(), before == null ? null : before.phone()), origin));
            }
            for (LevelOverride l : layer.levels) {
                levels.put(l.level(), new Contacts.Level(l.level(),
                        l.members().stream().map(m -> new Person(m, null, null, null, origin)).toList(), origin));
            }
            for (ChannelOverride c : layer.channels) {
                Contacts.ChannelAddress before = channels.get(c.channel());
                channels.put(c.channel(), new Contacts.ChannelAddress(c.channel(),
                        first(c.address(), before == null ? null : before.address()),
                        c.primary() != null ? c.primary() : before != null && before.primary(),
                        first(c.note(), before == null ? null : before.note())));
            }
        }
        List<Contacts.Level> resolved = levels.values().stream()
                .map(l -> new Contacts.Level(l.level(),
                        l.members().stream().map(m -> resolve(m.role(), people)).toList(), l.origin()))
                .sorted(Comparator.comparingInt(Contacts.Level::level)).toList();
        return new Contacts(releaseId, product, release == null ? null : release.version(),
                unavailable ? Contacts.Source.OVERRIDES_ONLY : Contacts.Source.CHECKLIST,
                List.copyOf(people.values()), resolved, List.copyOf(channels.values()));
    }

    /** A level member by role: the person with the same role, else one whose role contains it (or it theirs). */
    private static Person resolve(String member, Map<String, Person> people) {
        String key = Contacts.normalize(member);
        Person exact = people.get(key);
        if (exact != null) {
            return new Person(member, exact.name(), exact.email(), exact.phone(), exact.origin());
        }
        for (Map.Entry<String, Person> entry : people.entrySet()) {
            if (!key.isEmpty() && (entry.getKey().contains(key) || key.contains(entry.getKey()))
                    && entry.getValue().complete()) {
                Person p = entry.getValue();
                return new Person(member, p.name(), p.email(), p.phone(), p.origin());
            }
        }
        return new Person(member, null, null, null, Origin.CHECKLIST);
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
