package io.liftoff.checklist.release;

import java.time.Instant;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.DocLine;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.MetadataField;
import io.liftoff.checklist.checklist.ItemKind;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.checklist.checklist.Phase;
import io.liftoff.checklist.checklist.Section;
import io.liftoff.common.outbox.Outbox;
import io.liftoff.common.outbox.OutboxEvent;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.annotation.Version;

/**
 * A release and its checklist: one aggregate, one document. Every change bumps {@link #revision} (the ETag and the
 * checklist version other services bind to), is recorded in the history, and raises its event into the outbox in the
 * same single-document write.
 */
public class Release {

    public static final String SERVICE_ROLE_NOTE = "sign-off items are ticked by signoff-service when the role signs";
    private static final int MAX_REASONS = 25;

    @Id
    private String id;
    @Version
    private Long lockVersion;
    private String product;
    private String version;
    private ReleaseType type;
    private String previousVersion;
    private LocalDate plannedDate;
    private ReleaseStatus status;
    private long revision;
    @Transient
    private String title;
    @Transient
    private List<MetadataField> metadata;
    @Transient
    private List<DocLine> lines;
    @Transient
    private List<Section> sections;
    @Transient
    private List<Item> items;
    /** One checkbox mark per item, in layout order ({@code " xx-!"}): the states, compact (see {@link ItemStates}). */
    private String states;
    private List<Transition> transitions;
    private ProgressSummary progress;
    private String templateId;
    private Integer templateVersion;
    private String createdBy;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant deployedAt;
    private Outbox outbox;

    @PersistenceCreator
    Release() {
    }

    public static Release open(String id, String product, String version, ReleaseType type, String previousVersion,
            LocalDate plannedDate, Checklist checklist, String templateId, Integer templateVersion, String actor,
            Instant now) {
        Release release = new Release();
        release.id = id;
        release.product = product;
        release.version = version;
        release.type = type;
        release.previousVersion = previousVersion;
        release.plannedDate = plannedDate;
        release.status = ReleaseStatus.DRAFT;
        release.revision = 1;
        release.title = checklist.title();
        release.metadata = new ArrayList<>();
        checklist.metadata().forEach((name, value) -> release.metadata.add(new MetadataField(name, value)));
        release.lines = List.copyOf(checklist.lines());
        release.sections = List.copyOf(checklist.sections());
        release.items = new ArrayList<>(checklist.items());
        release.states = ItemStates.of(release.items);
        release.transitions = new ArrayList<>();
        release.progress = ProgressSummary.of(release.items);
        release.templateId = templateId;
        release.templateVersion = templateVersion;
        release.createdBy = actor;
        release.createdAt = now;
        release.updatedAt = now;
        release.outbox = new Outbox();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", version);
        data.put("type", type.name());
        data.put("status", release.status.name());
        data.put("items", release.items.size());
        data.put("checklistVersion", release.revision);
        release.raise("release.created", actor, data, now);
        return release;
    }

    /**
     * A copy that an item change may modify without touching this one: the aggregate's fields and an empty outbox (an item change only appends its event); transitions and the layout are left out.
     */
    Release copyForItemChange() {
        Release copy = new Release();
        copy.id = id;
        copy.lockVersion = lockVersion;
        copy.product = product;
        copy.version = version;
        copy.type = type;
        copy.previousVersion = previousVersion;
        copy.plannedDate = plannedDate;
        copy.status = status;
        copy.revision = revision;
        copy.states = states;
        copy.progress = progress;
        copy.templateId = templateId;
        copy.templateVersion = templateVersion;
        copy.createdBy = createdBy;
        copy.createdAt = createdAt;
        copy.updatedAt = updatedAt;
        copy.deployedAt = deployedAt;
        copy.outbox = new Outbox();
        return copy;
    }

    /** What never changes of this release, stored once beside it. */
    public ReleaseLayout layout() {
        return new ReleaseLayout(id, title, List.copyOf(metadata), lines, sections, List.copyOf(items));
    }

    /**
     * Joins the stored aggregate with its layout, without the items' notes (enough to change an item). The items are
     * made as they are read: an item change reads one of them, not the whole checklist.
     */
    public Release attach(ReleaseLayout layout) {
        attachLayout(layout);
        items = new StatedItems(this, layout.items());
        return this;
    }

    /**
     * Joins the stored aggregate with its layout: the items are the layout's, with the aggregate's states and the
     * last note, evidence, author and time recorded for each (by position).
     */
    public Release attach(ReleaseLayout layout, Map<Integer, ItemDetail> details) {
        attachLayout(layout);
        items = new ArrayList<>(layout.items().size());
        for (int i = 0; i < layout.items().size(); i++) {
            Item item = layout.items().get(i);
            ItemState state = ItemStates.at(states, i);
            ItemDetail detail = details.get(i);
            items.add(detail == null ? item.withState(state, item.note(), item.evidence(), item.updatedBy(),
                    item.updatedAt()) : item.withState(state, detail.note(), detail.evidence(), detail.by(),
                    detail.at()));
        }
        return this;
    }

    private void attachLayout(ReleaseLayout layout) {
        title = layout.title();
        metadata = layout.metadata();
        lines = layout.lines();
        sections = layout.sections();
        if (states.length() != layout.items().size()) {
            throw new IllegalStateException("Release " + id + " has " + states.length() + " states for "
                    + layout.items().size() + " items");
        }
    }

    /** The layout's items with the release's current states, each made when it is read; changed ones are kept. */
    private static final class StatedItems extends AbstractList<Item> {

        private final Release release;
        private final List<Item> layout;
        private final Map<Integer, Item> changed = new HashMap<>();

        StatedItems(Release release, List<Item> layout) {
            this.release = release;
            this.layout = layout;
        }

        @Override
        public Item get(int index) {
            Item item = changed.get(index);
            if (item != null) {
                return item;
            }
            Item laidOut = layout.get(index);
            return laidOut.withState(ItemStates.at(release.states, index), laidOut.note(), laidOut.evidence(),
                    laidOut.updatedBy(), laidOut.updatedAt());
        }

        @Override
        public Item set(int index, Item item) {
            Item before = get(index);
            changed.put(index, item);
            return before;
        }

        @Override
        public int size() {
            return layout.size();
        }

        String idAt(int index) {
            Item item = changed.get(index);
            return item != null ? item.id() : layout.get(index).id();
        }
    }

    /** The position of an item in the layout (the key of its state and of its details). */
    public int indexOf(String itemId) {
        for (int i = 0; i < items.size(); i++) {
            String candidate = items instanceof StatedItems stated ? stated.idAt(i) : items.get(i).id();
            if (candidate.equals(itemId)) {
                return i;
            }
        }
        throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.ITEM_NOT_FOUND,
                "Item '" + itemId + "' does not exist in release " + product + " " + version);
    }

    /** The checklist as it stands now, for export. */
    public Checklist checklist() {
        Map<String, String> fields = new LinkedHashMap<>();
        metadata.forEach(field -> fields.put(field.name(), field.value()));
        return new Checklist(title, lines, sections, List.copyOf(items), fields);
    }

    public Item item(String itemId) {
        for (Item item : items) {
            if (item.id().equals(itemId)) {
                return item;
            }
        }
        throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.ITEM_NOT_FOUND,
                "Item '" + itemId + "' does not exist in release " + product + " " + version);
    }

    /** What one item change did: the new item at its position, the history entry, and the event it raised. */
    public record ItemUpdated(Item item, int index, ItemChange change, OutboxEvent event) {
    }

    /**
     * Changes an item's state, note and evidence. Contact lines cannot be ticked; sign-off items are ticked only by
     * the platform's services (signoff-service); a closed release changes no more.
     */
    public ItemUpdated updateItem(String itemId, ItemState state, String note, String evidence, String actor,
            boolean actorIsService, Instant now) {
        if (status.isClosed()) {
            throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.RELEASE_CLOSED,
                    "Release " + product + " " + version + " is " + status + "; its checklist no longer changes");
        }
        int index = indexOf(itemId);
        Item current = items.get(index);
        if (!current.checkbox()) {
            throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.ITEM_NOT_CHECKABLE,
                    "Item '" + current.key() + "' is a contact line, not a checkbox");
        }
        if (current.kind() == ItemKind.SIGNOFF && !actorIsService) {
            throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.ITEM_NOT_CHECKABLE,
                    "Item '" + current.key() + "' is a sign-off role: " + SERVICE_ROLE_NOTE);
        }
        Item updated = current.withState(state, note, evidence, actor, now);
        items.set(index, updated);
        states = ItemStates.with(states, index, state);
        revision++;
        updatedAt = now;
        progress = progress.with(current, state);
        ItemChange change = new ItemChange(itemId, current.state(), state, note, evidence, actor, now, revision);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("itemId", itemId);
        data.put("key", current.key());
        data.put("kind", current.kind().name());
        data.put("phase", current.phase().name());
        data.put("fromState", current.state().name());
        data.put("toState", state.name());
        data.put("note", note);
        data.put("evidence", evidence);
        data.put("checklistVersion", revision);
        OutboxEvent event = raise("item.updated", actor, data, now);
        return new ItemUpdated(updated, index, change, event);
    }

    /** Why the items of this release do not allow entering {@code to} yet (empty when nothing is in the way). */
    public List<String> itemBlockers(ReleaseStatus to) {
        Phase phase = Lifecycle.itemsCompleteFor(to);
        List<String> reasons = new ArrayList<>();
        if (phase == null) {
            return reasons;
        }
        Set<String> signoffSubtree = signoffSubtree();
        int open = 0;
        for (Item item : items) {
            if (item.phase() != phase || !item.checkbox() || signoffSubtree.contains(item.id())) {
                continue;
            }
            if (item.state() == ItemState.BLOCKED || item.state() == ItemState.OPEN) {
                open++;
                if (reasons.size() < MAX_REASONS) {
                    reasons.add((item.state() == ItemState.BLOCKED ? "blocked item: " : "open item: ") + item.key());
                }
            }
        }
        if (open > reasons.size()) {
            reasons.add("and " + (open - reasons.size()) + " more open " + phase + " items");
        }
        return reasons;
    }

    /** Items that are SIGNOFF roles or their attestations: the gate covers them, not item completion. */
    private Set<String> signoffSubtree() {
        Set<String> ids = new HashSet<>();
        Map<String, Item> byId = new HashMap<>();
        items.forEach(item -> byId.put(item.id(), item));
        for (Item item : items) {
            // Items come in document order, so a parent is decided before its children.
            Item parent = item.parentId() == null ? null : byId.get(item.parentId());
            if (item.kind() == ItemKind.SIGNOFF || (parent != null && ids.contains(parent.id()))) {
                ids.add(item.id());
            }
        }
        return ids;
    }

    /** Moves the release; the caller has checked the gate. Refuses moves the lifecycle does not have. */
    public void transition(ReleaseStatus to, String actor, String reason, Instant now) {
        if (!Lifecycle.allowed(status, to)) {
            throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.TRANSITION_REFUSED,
                    "A release cannot move from " + status + " to " + to,
                    List.of("allowed from " + status + ": " + Lifecycle.movesFrom(status)));
        }
        List<String> blockers = itemBlockers(to);
        if (!blockers.isEmpty()) {
            throw new ReleaseRuleViolation(ReleaseRuleViolation.Kind.TRANSITION_REFUSED,
                    "The checklist does not allow " + to + " yet", blockers);
        }
        ReleaseStatus from = status;
        status = to;
        revision++;
        updatedAt = now;
        if (to == ReleaseStatus.MONITORING) {
            deployedAt = now;
        }
        transitions.add(new Transition(from, to, actor, now, reason));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", from.name());
        data.put("to", to.name());
        data.put("reason", reason);
        data.put("checklistVersion", revision);
        if (deployedAt != null) {
            data.put("deployedAt", deployedAt.toString());
        }
        raise("release.transitioned", actor, data, now);
    }

    private OutboxEvent raise(String type, String actor, Map<String, Object> data, Instant now) {
        OutboxEvent event = OutboxEvent.of(type, id, product, actor, data, now);
        outbox.add(event);
        return event;
    }

    public String getId() {
        return id;
    }

    public String getProduct() {
        return product;
    }

    public String getVersion() {
        return version;
    }

    public ReleaseType getType() {
        return type;
    }

    public String getPreviousVersion() {
        return previousVersion;
    }

    public LocalDate getPlannedDate() {
        return plannedDate;
    }

    public ReleaseStatus getStatus() {
        return status;
    }

    /** The states, one checkbox mark per item in layout order. */
    public String getStates() {
        return states;
    }

    public long getRevision() {
        return revision;
    }

    public String getTitle() {
        return title;
    }

    public List<MetadataField> getMetadata() {
        return metadata;
    }

    public List<Section> getSections() {
        return sections;
    }

    public List<Item> getItems() {
        return items;
    }

    public List<Transition> getTransitions() {
        return transitions;
    }

    public ProgressSummary getProgress() {
        return progress;
    }

    public String getTemplateId() {
        return templateId;
    }

    public Integer getTemplateVersion() {
        return templateVersion;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getDeployedAt() {
        return deployedAt;
    }

    public Outbox getOutbox() {
        return outbox;
    }
}
