package io.liftoff.checklist.release;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.checklist.checklist.Phase;
import io.liftoff.checklist.markdown.MarkdownChecklistParser;
import io.liftoff.checklist.template.TemplateService;
import io.liftoff.common.ids.TimeOrderedIds;
import io.liftoff.common.outbox.OutboxRelay;
import io.liftoff.common.outbox.RelayHints;
import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.common.security.Roles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The release use cases: open (from a template or by importing Markdown), read, list, change items, move through the
 * lifecycle. Visibility: a release of a product the caller may not read is reported as not found.
 */
@Service
public class ReleaseService {

    private static final int MAX_WRITE_ATTEMPTS = 8;
    private static final List<DateTimeFormatter> DATE_FORMATS = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH));

    private final ReleaseRepository repository;
    private final ReleaseStore store;
    private final ReleaseLayouts layouts;
    private final ItemHistory history;
    private final ReleaseDetails details;
    private final MongoTemplate mongo;
    private final MarkdownChecklistParser parser;
    private final TemplateService templates;
    private final GateCheck gates;
    private final RelayHints relay;
    private final Clock clock;

    ReleaseService(ReleaseRepository repository, ReleaseStore store, ReleaseLayouts layouts, ItemHistory history,
            ReleaseDetails details, MongoTemplate mongo,
            MarkdownChecklistParser parser, TemplateService templates, GateCheck gates,
            ObjectProvider<OutboxRelay> relay, Clock clock) {
        this.repository = repository;
        this.store = store;
        this.layouts = layouts;
        this.history = history;
        this.details = details;
        this.mongo = mongo;
        this.parser = parser;
        this.templates = templates;
        this.gates = gates;
        this.relay = new RelayHints(relay);
        this.clock = clock;
    }

    public record Page(List<Release> releases, int page, int size, long total) {
    }

    public record ItemResult(Release release, Item item) {
    }

    /** Imports a filled checklist; header fields give version, type and previous version unless overridden. */
    public Release importMarkdown(CurrentUser user, String product, String markdown, String versionOverride,
            ReleaseType typeOverride) {
        if (product == null || product.isBlank()) {
            throw ProblemException.badRequest(ProblemTypes.INVALID_PARAMETER, "Missing product",
                    "Parameter 'product' is required when importing Markdown").with("parameter", "product");
        }
        requireWritable(user, product);
        Checklist checklist = parse(markdown);
        Map<String, String> metadata = new LinkedHashMap<>(checklist.metadata());
        String rawVersion = versionOverride != null ? versionOverride : metadata.get("Release Version");
        String version = requireVersion(rawVersion, versionOverride != null ? "version" : "Release Version");
        ReleaseType type = typeOverride != null ? typeOverride : ReleaseType.fromText(metadata.get("Release Type"));
        if (type == null) {
            throw ProblemException.badRequest(ProblemTypes.VALIDATION, "Missing release type",
                    "Give ?type=MAJOR|MINOR|PATCH|HOTFIX or a '**Release Type**:' line naming one")
                    .with("field", "type");
        }
        String previous = optionalVersion(metadata.get("Previous Version"), "Previous Version");
        if (versionOverride != null && metadata.containsKey("Release Version")) {
            metadata.put("Release Version", version);
        }
        Checklist withMetadata = new Checklist(checklist.title(), checklist.lines(), checklist.sections(),
                checklist.items(), metadata);
        Release release = Release.open(newId(), product, version, type, previous,
                parseDate(metadata.get("Release Date")), withMetadata, null, null, user.name(), clock.instant());
        return insert(release);
    }

    /** Opens a release from a published template version, every item OPEN. */
    public Release openFromTemplate(CurrentUser user, String templateId, Integer templateVersion, String product,
            String rawVersion, ReleaseType type, String rawPrevious, LocalDate plannedDate) {
        requireWritable(user, product);
        String version = requireVersion(rawVersion, "version");
        String previous = optionalVersion(rawPrevious, "previousVersion");
        TemplateService.Published published = templates.published(templateId, templateVersion);
        Checklist blank = published.checklist();
        Map<String, String> metadata = new LinkedHashMap<>(blank.metadata());
        metadata.computeIfPresent("Release Version", (k, v) -> version);
        metadata.computeIfPresent("Release Type", (k, v) -> type.name().charAt(0)
                + type.name().substring(1).toLowerCase(Locale.ROOT) + " Release");
        metadata.computeIfPresent("Previous Version", (k, v) -> previous != null ? previous : v);
        metadata.computeIfPresent("Release Date", (k, v) -> plannedDate != null ? plannedDate.toString() : v);
        List<Item> items = blank.items().stream().map(Item::reset).toList();
        Checklist checklist = new Checklist(blank.title(), blank.lines(), blank.sections(), items, metadata);
        Release release = Release.open(newId(), product, version, type, previous, plannedDate, checklist, templateId,
                published.version(), user.name(), clock.instant());
        return insert(release);
    }

    public Release get(CurrentUser user, String releaseId) {
        return repository.findById(releaseId)
                .filter(release -> user.canRead(release.getProduct()))
                .map(this::complete)
                .orElseThrow(() -> ProblemException.notFound("Release", releaseId));
    }

    /** The stored aggregate with its layout and the items' last notes (including changes still in its outbox). */
    private Release complete(Release release) {
        ReleaseLayout layout = layouts.get(release.getId());
        return release.attach(layout, details.of(release, layout));
    }

    public Page list(CurrentUser user, String product, ReleaseStatus status, String version, int page, int size) {
        Criteria criteria = new Criteria();
        List<Criteria> filters = new ArrayList<>();
        if (!user.readsAllProducts()) {
            filters.add(Criteria.where("product").in(user.products()));
        }
        if (product != null) {
            filters.add(Criteria.where("product").is(product));
        }
        if (status != null) {
            filters.add(Criteria.where("status").is(status));
        }
        if (version != null) {
            filters.add(Criteria.where("version").is(version));
        }
        if (!filters.isEmpty()) {
            criteria.andOperator(filters);
        }
        Query query = Query.query(criteria);
        long total = mongo.count(query, Release.class);
        query.with(Sort.by(Sort.Direction.DESC, "createdAt")).skip((long) page * size).limit(size);
        query.fields().exclude("states", "transitions", "outbox");
        return new Page(mongo.find(query, Release.class), page, size, total);
    }

    /**
     * Changes an item if {@code ifMatch} is the release's current revision: one atomic, revision-guarded update of the
     * release document (state, revision, progress and the {@code item.updated} event, from which the relay projects
     * the history and the item's note). A change that loses a race re-reads and answers 412 (the caller's ETag is
     * stale by then).
     */
    public ItemResult updateItem(CurrentUser user, String releaseId, String itemId, String ifMatch, ItemState state,
            String note, String evidence) {
        for (int attempt = 1;; attempt++) {
            Release release = store.findForItemChange(releaseId, ifMatch, attempt > 1)
                    .filter(found -> user.canRead(found.getProduct()))
                    .map(found -> found.attach(layouts.get(releaseId)))
                    .orElseThrow(() -> ProblemException.notFound("Release", releaseId));
            requireWritable(user, release.getProduct());
            requireRevision(release, ifMatch);
            long expected = release.getRevision();
            Instant now = clock.instant();
            Release.ItemUpdated change = release.updateItem(itemId, state, note, evidence, user.name(),
                    user.hasRole(Roles.SERVICE), now);
            if (store.apply(release, change, expected, now)) {
                relay.wake(ReleaseStore.COLLECTION, releaseId);
                return new ItemResult(release, change.item());
            }
            if (attempt >= MAX_WRITE_ATTEMPTS) {
                throw new OptimisticLockingFailureException("Release " + releaseId + " keeps changing");
            }
        }
    }

    public java.util.List<ItemChange> history(CurrentUser user, String releaseId, String itemId) {
        Release release = get(user, releaseId);
        release.item(itemId);
        return history.of(release, itemId);
    }

    /** Moves a release; READY → DEPLOYING and MONITORING → RELEASED ask signoff-service and fail closed. */
    public Release transition(CurrentUser user, String releaseId, ReleaseStatus to, String reason) {
        for (int attempt = 1;; attempt++) {
            Release release = get(user, releaseId);
            requireWritable(user, release.getProduct());
            ReleaseStatus from = release.getStatus();
            Phase gatePhase = Lifecycle.allowed(from, to) ? Lifecycle.gateFor(from, to) : null;
            if (gatePhase != null) {
                GateCheck.GateAnswer gate = gates.check(releaseId, gatePhase);
                if (!gate.cleared()) {
                    throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.TRANSITION_REFUSED,
                            "The " + gatePhase + " sign-off gate is not clear", gate.reasons());
                }
            }
            release.transition(to, user.name(), reason, clock.instant());
            store.forget(releaseId);
            try {
                Release saved = complete(repository.save(release));
                relay.wake(ReleaseStore.COLLECTION, saved.getId());
                return saved;
            }
            catch (OptimisticLockingFailureException ex) {
                if (attempt >= MAX_WRITE_ATTEMPTS) {
                    throw ex;
                }
            }
        }
    }

    private Release insert(Release release) {
        layouts.insert(release.layout());
        try {
            Release saved = repository.insert(release).attach(release.layout());
            relay.wake(ReleaseStore.COLLECTION, saved.getId());
            return saved;
        }
        catch (DuplicateKeyException ex) {
            layouts.delete(release.getId());
            throw ProblemException.conflict(ReleaseProblems.DUPLICATE_RELEASE, "Release already exists",
                    "Product " + release.getProduct() + " already has a release " + release.getVersion())
                    .with("field", "version");
        }
    }

    private Checklist parse(String markdown) {
        return ReleaseProblems.parse(parser, markdown);
    }

    static void requireWritable(CurrentUser user, String product) {
        if (!user.canWrite(product)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, ReleaseProblems.NOT_YOUR_PRODUCT, "Forbidden",
                    "You may not change releases of product '" + product + "'");
        }
    }

    private static void requireRevision(Release release, String ifMatch) {
        String expected = ETags.of(release.getRevision());
        if (!ETags.matches(ifMatch, release.getRevision())) {
            throw new ProblemException(HttpStatus.PRECONDITION_FAILED, ProblemTypes.PRECONDITION_FAILED,
                    "Precondition failed", "The release changed since you read it (If-Match " + ifMatch
                            + ", current " + expected + "); read it again and retry")
                    .with("currentETag", expected);
        }
    }

    private static String requireVersion(String raw, String field) {
        String version = SemanticVersion.normalise(raw);
        if (version == null) {
            throw ProblemException.badRequest(ReleaseProblems.INVALID_VERSION, "Invalid version",
                    raw == null ? "No release version: give ?version= or a '**Release Version**:' line"
                            : "'" + raw + "' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.1.0)")
                    .with("field", field);
        }
        return version;
    }

    private static String optionalVersion(String raw, String field) {
        return raw == null || raw.isBlank() ? null : requireVersion(raw, field);
    }

    static LocalDate parseDate(String text) {
        if (text == null) {
            return null;
        }
        for (DateTimeFormatter format : DATE_FORMATS) {
            try {
                return LocalDate.parse(text.trim(), format);
            }
            catch (DateTimeParseException ex) {
                // try the next format; an unreadable date stays in the metadata only
            }
        }
        return null;
    }

    /** Ids that grow with time, so new releases are appended to the store's key order ({@link TimeOrderedIds}). */
    private String newId() {
        return TimeOrderedIds.next(clock);
    }

}
