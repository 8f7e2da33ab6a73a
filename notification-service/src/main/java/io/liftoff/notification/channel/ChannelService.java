package io.liftoff.notification.channel;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.notification.config.NotificationProblems;
import io.liftoff.notification.config.NotificationProperties;
import io.liftoff.notification.config.ShortCache;
import io.liftoff.notification.config.ProductAccess;
import io.liftoff.notification.delivery.DeliveryDoc.ChannelKind;
import io.liftoff.notification.event.EventType;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/** Channels as configured through the API, validated (addresses, e-mails, event types) before they are stored. */
@Service
public class ChannelService {

    /** What a caller sends to configure a channel (the contract's ChannelRequest, without web types). */
    public record ChannelSpec(String product, String releaseId, String name, ChannelKind type, String url,
            String secret, List<String> recipients, List<String> eventTypes, List<Integer> levels, Boolean enabled) {
    }

    private final MongoTemplate mongo;
    private final AddressPolicy addresses;
    private final Clock clock;
    private final ShortCache<String, List<ChannelDoc>> byProduct;
    private final ShortCache<String, java.util.Optional<ChannelDoc>> byId;

    public ChannelService(MongoTemplate mongo, AddressPolicy addresses, Clock clock,
            NotificationProperties properties) {
        this.mongo = mongo;
        this.addresses = addresses;
        this.clock = clock;
        this.byProduct = new ShortCache<>(properties.configTtl());
        this.byId = new ShortCache<>(properties.configTtl());
    }

    private void changed() {
        byProduct.clear();
        byId.clear();
    }

    public ChannelDoc create(CurrentUser user, ChannelSpec spec) {
        ProductAccess.requireWrite(user, spec.product(), "Product", spec.product());
        ChannelDoc channel = new ChannelDoc();
        channel.id = UUID.randomUUID().toString();
        channel.product = spec.product();
        channel.type = spec.type();
        channel.createdBy = user.name();
        apply(channel, spec, true);
        ChannelDoc stored = mongo.insert(channel);
        changed();
        return stored;
    }

    public ChannelDoc update(CurrentUser user, String id, ChannelSpec spec) {
        ChannelDoc channel = get(user, id);
        ProductAccess.requireWrite(user, channel.product, "Channel", id);
        if (!channel.product.equals(spec.product()) || channel.type != spec.type()) {
            throw ProblemException.conflict(io.liftoff.common.problem.ProblemTypes.CONFLICT,
                    "Channel product and type are fixed", "A channel keeps its product and type; create another one");
        }
        apply(channel, spec, false);
        ChannelDoc stored = mongo.save(channel);
        changed();
        return stored;
    }

    public void delete(CurrentUser user, String id) {
        ChannelDoc channel = get(user, id);
        ProductAccess.requireWrite(user, channel.product, "Channel", id);
        mongo.remove(Query.query(Criteria.where("_id").is(id)), ChannelDoc.class);
        changed();
    }

    public ChannelDoc get(CurrentUser user, String id) {
        ChannelDoc channel = mongo.findById(id, ChannelDoc.class);
        if (channel == null) {
            throw ProblemException.notFound("Channel", id);
        }
        ProductAccess.requireRead(user, channel.product, "Channel", id);
        return channel;
    }

    public List<ChannelDoc> list(CurrentUser user, String product, String releaseId) {
        Criteria criteria = new Criteria();
        if (product != null) {
            ProductAccess.requireRead(user, product, "Product", product);
            criteria = Criteria.where("product").is(product);
        }
        else if (!user.readsAllProducts()) {
            criteria = Criteria.where("product").in(user.products());
        }
        if (releaseId != null) {
            criteria = criteria.and("releaseId").is(releaseId);
        }
        return mongo.find(Query.query(criteria).with(Sort.by("product", "name")), ChannelDoc.class);
    }

    /** The enabled channels that may carry an event of this product and release. */
    public List<ChannelDoc> forEvent(String product, String releaseId, String eventType) {
        return byProduct.get(product, p -> mongo.find(Query.query(Criteria.where("product").is(p).and("enabled")
                .is(true)), ChannelDoc.class)).stream().filter(c -> c.appliesTo(releaseId) && c.receives(eventType))
                .toList();
    }

    /** A channel for sending (may be up to {@code config-ttl} old when another replica changed it). */
    public ChannelDoc byId(String id) {
        return byId.get(id, key -> java.util.Optional.ofNullable(mongo.findById(key, ChannelDoc.class))).orElse(null);
    }

    private void apply(ChannelDoc channel, ChannelSpec spec, boolean creating) {
        channel.releaseId = blankToNull(spec.releaseId());
        channel.name = spec.name().strip();
        channel.enabled = spec.enabled() == null || spec.enabled();
        channel.eventTypes = checkedEventTypes(spec.eventTypes());
        channel.levels = spec.levels() == null ? List.of() : spec.levels().stream().distinct().sorted().toList();
        channel.updatedAt = clock.instant();
        switch (spec.type()) {
            case EMAIL -> {
                List<String> recipients = spec.recipients() == null ? List.of() : spec.recipients();
                if (recipients.isEmpty()) {
                    throw NotificationProblems.badField("recipients", "An e-mail channel needs at least one recipient");
                }
                for (int i = 0; i < recipients.size(); i++) {
                    if (!EmailAddresses.isValid(recipients.get(i))) {
                        throw NotificationProblems.invalidEmail("recipients[" + i + "]", recipients.get(i));
                    }
                }
                channel.recipients = List.copyOf(recipients);
                channel.url = null;
                channel.secret = null;
            }
            case SLACK, WEBHOOK -> {
                String url = blankToNull(spec.url());
                if (url == null && (creating || channel.url == null)) {
                    throw NotificationProblems.badField("url", "A " + spec.type() + " channel needs a url");
                }
                if (url != null) {
                    String refusal = addresses.refusal(url);
                    if (refusal != null) {
                        throw NotificationProblems.forbiddenAddress("url", refusal);
                    }
                    channel.url = url;
                }
                if (spec.type() == ChannelKind.WEBHOOK && spec.secret() != null) {
                    channel.secret = spec.secret();
                }
                channel.recipients = List.of();
            }
        }
    }

    private static List<String> checkedEventTypes(List<String> types) {
        if (types == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (String type : types) {
            if (EventType.fromWire(type).isEmpty()) {
                throw NotificationProblems.unknownEventType(type).with("field", "eventTypes");
            }
            result.add(type);
        }
        return List.copyOf(result);
    }

    static String hostOf(String url) {
        try {
            return url == null ? null : URI.create(url).getHost();
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
