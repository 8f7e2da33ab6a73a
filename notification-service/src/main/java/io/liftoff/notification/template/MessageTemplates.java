package io.liftoff.notification.template;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.notification.config.NotificationProblems;
import io.liftoff.notification.config.NotificationProperties;
import io.liftoff.notification.config.ShortCache;
import io.liftoff.notification.config.ProductAccess;
import io.liftoff.notification.event.EventType;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import org.springframework.web.util.HtmlUtils;

/**
 * Message templates per event type: a built-in one for each, replaceable per product. Placeholders are written
 * {@code {{field}}}; a template is refused when it names a field its event type does not have. Values missing from
 * an event render as "—"; in the HTML body every value is escaped.
 */
@Service
public class MessageTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]*)\\s*}}");
    private static final String MISSING = "—";

    /** A template: its title, text and optional HTML; {@code custom} when the product set it. */
    public record Template(String eventType, String title, String text, String html, boolean custom) {
    }

    /** A rendered message. */
    public record Rendered(String title, String text, String html) {
    }

    private static final Map<String, Template> BUILT_IN = Map.of(
            "release.created", builtIn("release.created", "Release {{release.version}} of {{product}} opened",
                    "{{actor}} opened release {{release.version}} of {{product}} ({{release.type}}).\n{{link}}"),
            "item.updated", builtIn("item.updated",
                    "{{product}} {{release.version}}: {{item.text}} is {{item.toState}}",
                    "{{actor}} changed \"{{item.text}}\" from {{item.fromState}} to {{item.toState}}.\n"
                            + "Note: {{item.note}}\nEvidence: {{item.evidence}}\n{{link}}"),
            "release.transitioned", builtIn("release.transitioned",
                    "{{product}} {{release.version}} is now {{transition.to}}",
                    "{{actor}} moved release {{release.version}} of {{product}} from {{transition.from}} to "
                            + "{{transition.to}}.\nReason: {{transition.reason}}\n{{link}}"),
            "signoff.recorded", builtIn("signoff.recorded",
                    "{{signoff.role}} signed off {{product}} {{release.version}}",
                    "{{signoff.signer}} recorded {{signoff.decision}} as {{signoff.role}} for release "
                            + "{{release.version}} of {{product}} (checklist version {{checklistVersion}}).\n{{link}}"),
            "signoff.revoked", builtIn("signoff.revoked",
                    "Sign-off revoked: {{signoff.role}} on {{product}} {{release.version}}",
                    "{{actor}} revoked the {{signoff.role}} sign-off of release {{release.version}} of {{product}}."
                            + "\nReason: {{signoff.reason}}\n{{link}}"),
            "gate.cleared", builtIn("gate.cleared", "{{gate.phase}} gate clear for {{product}} {{release.version}}",
                    "Every required sign-off of the {{gate.phase}} gate of release {{release.version}} of "
                            + "{{product}} is in.\n{{link}}"),
            "metric.breached", builtIn("metric.breached",
                    "[{{severity}}] {{metric.name}} breached on {{product}} {{release.version}}",
                    "{{metric.name}} is {{metric.value}} {{metric.unit}} against the target {{metric.comparator}} "
                            + "{{metric.threshold}} {{metric.unit}} (window {{metric.window}}).\n"
                            + "Item: {{item.text}}\n{{link}}"),
            "rollback.triggered", builtIn("rollback.triggered",
                    "[{{severity}}] Rollback triggered for {{product}} {{release.version}}",
                    "Rollback trigger: {{trigger.text}}\n{{metric.name}} is {{metric.value}} {{metric.unit}} "
                            + "against the threshold {{metric.comparator}} {{metric.threshold}} {{metric.unit}}.\n"
                            + "Reason: {{trigger.reason}}\nEscalation level {{level}}: acknowledge with "
                            + "POST /api/notifications/{{eventId}}/ack\n{{link}}"));

    private final MongoTemplate mongo;
    private final Clock clock;
    private final ShortCache<String, java.util.Optional<TemplateDoc>> stored;

    public MessageTemplates(MongoTemplate mongo, Clock clock, NotificationProperties properties) {
        this.mongo = mongo;
        this.clock = clock;
        this.stored = new ShortCache<>(properties.configTtl());
    }

    private static Template builtIn(String type, String title, String text) {
        return new Template(type, title, text, null, false);
    }

    public Template effective(String product, String eventType) {
        TemplateDoc doc = stored.get(product + "|" + eventType,
                key -> java.util.Optional.ofNullable(mongo.findById(key, TemplateDoc.class))).orElse(null);
        return doc != null ? new Template(eventType, doc.title, doc.text, doc.html, true) : BUILT_IN.get(eventType);
    }

    public List<Template> list(CurrentUser user, String product) {
        ProductAccess.requireRead(user, product, "Product", product);
        return EventType.wireNames().stream().map(type -> effective(product, type)).toList();
    }

    public Template put(CurrentUser user, String product, String eventType, String title, String text, String html) {
        ProductAccess.requireWrite(user, product, "Product", product);
        EventType type = EventType.fromWire(eventType).orElseThrow(() -> NotificationProblems
                .unknownEventType(eventType).with("field", "eventType"));
        Set<String> unknown = new LinkedHashSet<>();
        Set<String> known = Set.copyOf(MessageFields.fieldsOf(type));
        for (String part : new String[] { title, text, html }) {
            unknown.addAll(placeholders(part).stream().filter(f -> !known.contains(f)).toList());
        }
        if (!unknown.isEmpty()) {
            throw NotificationProblems.unknownTemplateFields(List.copyOf(unknown));
        }
        TemplateDoc doc = new TemplateDoc();
        doc.id = product + "|" + eventType;
        doc.product = product;
        doc.eventType = eventType;
        doc.title = title;
        doc.text = text;
        doc.html = html;
        doc.updatedBy = user.name();
        doc.updatedAt = clock.instant();
        mongo.save(doc);
        stored.clear();
        return effective(product, eventType);
    }

    public void reset(CurrentUser user, String product, String eventType) {
        ProductAccess.requireWrite(user, product, "Product", product);
        if (EventType.fromWire(eventType).isEmpty()) {
            throw ProblemException.notFound("Template", eventType);
        }
        mongo.remove(Query.query(Criteria.where("_id").is(product + "|" + eventType)), TemplateDoc.class);
        stored.clear();
    }

    public Rendered render(Template template, Map<String, String> values) {
        String title = fill(template.title(), values, false);
        String text = fill(template.text(), values, false);
        String html;
        if (template.html() != null) {
            html = fill(template.html(), values, true);
        }
        else {
            String link = values.get("link");
            html = "<h3>" + HtmlUtils.htmlEscape(title) + "</h3><p>"
                    + HtmlUtils.htmlEscape(text).replace("\n", "<br>") + "</p>"
                    + (link == null ? "" : "<p><a href=\"" + HtmlUtils.htmlEscape(link) + "\">Open</a></p>");
        }
        return new Rendered(title, text, html);
    }

    static List<String> placeholders(String template) {
        List<String> fields = new ArrayList<>();
        if (template == null) {
            return fields;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }

    private static String fill(String template, Map<String, String> values, boolean escape) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            value = value == null ? MISSING : value;
            m.appendReplacement(out, Matcher.quoteReplacement(escape ? HtmlUtils.htmlEscape(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
