package io.liftoff.checklist.release;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.checklist.api.model.ContactSpec;
import io.liftoff.checklist.api.model.Count;
import io.liftoff.checklist.api.model.ItemKind;
import io.liftoff.checklist.api.model.ItemState;
import io.liftoff.checklist.api.model.MetricTarget;
import io.liftoff.checklist.api.model.Phase;
import io.liftoff.checklist.api.model.Progress;
import io.liftoff.checklist.api.model.ReleasePage;
import io.liftoff.checklist.api.model.ReleaseSummary;
import io.liftoff.checklist.api.model.SectionProgress;
import io.liftoff.checklist.api.model.SignoffSpec;
import io.liftoff.checklist.checklist.Item;

/** Domain → contract models. Items become a tree through {@code children}. */
public final class ReleaseMapper {

    private ReleaseMapper() {
    }

    public static io.liftoff.checklist.api.model.Release toApi(Release release) {
        ProgressReport report = ProgressReport.of(release.getSections(), release.getItems());
        Map<String, String> metadata = new LinkedHashMap<>();
        release.getMetadata().forEach(field -> metadata.put(field.name(), field.value()));
        return new io.liftoff.checklist.api.model.Release()
                .id(release.getId())
                .product(release.getProduct())
                .version(release.getVersion())
                .type(io.liftoff.checklist.api.model.ReleaseType.valueOf(release.getType().name()))
                .previousVersion(release.getPreviousVersion())
                .plannedDate(release.getPlannedDate())
                .status(io.liftoff.checklist.api.model.ReleaseStatus.valueOf(release.getStatus().name()))
                .title(release.getTitle())
                .checklistVersion(release.getRevision())
                .metadata(metadata)
                .templateId(release.getTemplateId())
                .templateVersion(release.getTemplateVersion())
                .createdBy(release.getCreatedBy())
                .createdAt(time(release.getCreatedAt()))
                .updatedAt(time(release.getUpdatedAt()))
                .deployedAt(time(release.getDeployedAt()))
                .progress(progress(report))
                .items(tree(release.getItems()))
                .transitions(release.getTransitions().stream().map(ReleaseMapper::transition).toList());
    }

    public static ReleasePage toPage(ReleaseService.Page page) {
        return new ReleasePage()
                .items(page.releases().stream().map(ReleaseMapper::summary).toList())
                .page(page.page())
                .size(page.size())
                .totalItems(page.total())
                .totalPages((int) ((page.total() + page.size() - 1) / page.size()));
    }

    static ReleaseSummary summary(Release release) {
        return new ReleaseSummary()
                .id(release.getId())
                .product(release.getProduct())
                .version(release.getVersion())
                .type(io.liftoff.checklist.api.model.ReleaseType.valueOf(release.getType().name()))
                .status(io.liftoff.checklist.api.model.ReleaseStatus.valueOf(release.getStatus().name()))
                .checklistVersion(release.getRevision())
                .createdAt(time(release.getCreatedAt()))
                .progress(count(release.getProgress()));
    }

    /** The items as a forest, in document order. */
    public static List<io.liftoff.checklist.api.model.Item> tree(List<Item> items) {
        Map<String, io.liftoff.checklist.api.model.Item> byId = new HashMap<>();
        List<io.liftoff.checklist.api.model.Item> roots = new ArrayList<>();
        for (Item item : items) {
            io.liftoff.checklist.api.model.Item api = item(item);
            byId.put(item.id(), api);
            io.liftoff.checklist.api.model.Item parent = item.parentId() == null ? null : byId.get(item.parentId());
            if (parent == null) {
                roots.add(api);
            }
            else {
                parent.addChildrenItem(api);
            }
        }
        return roots;
    }

    /** One item with its descendants. */
    public static io.liftoff.checklist.api.model.Item subtree(List<Item> items, String itemId) {
        for (io.liftoff.checklist.api.model.Item root : tree(items)) {
            io.liftoff.checklist.api.model.Item found = find(root, itemId);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static io.liftoff.checklist.api.model.Item find(io.liftoff.checklist.api.model.Item node, String id) {
        if (id.equals(node.getId())) {
            return node;
        }
        for (io.liftoff.checklist.api.model.Item child : node.getChildren()) {
            io.liftoff.checklist.api.model.Item found = find(child, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    public static io.liftoff.checklist.api.model.Item item(Item item) {
        return new io.liftoff.checklist.api.model.Item()
                .id(item.id())
                .key(item.key())
                .parentId(item.parentId())
                .text(item.text())
                .kind(ItemKind.valueOf(item.kind().name()))
                .state(ItemState.valueOf(item.state().name()))
                .checkbox(item.checkbox())
                .phase(Phase.valueOf(item.phase().name()))
                .section(item.sectionKey())
                .target(target(item.target()))
                .signoff(signoff(item.signoff()))
                .contact(contact(item.contact()))
                .note(item.note())
                .evidence(item.evidence())
                .updatedBy(item.updatedBy())
                .updatedAt(time(item.updatedAt()));
    }

    public static io.liftoff.checklist.api.model.ItemChange change(ItemChange change) {
        return new io.liftoff.checklist.api.model.ItemChange()
                .itemId(change.itemId())
                .fromState(ItemState.valueOf(change.fromState().name()))
                .toState(ItemState.valueOf(change.toState().name()))
                .note(change.note())
                .evidence(change.evidence())
                .by(change.by())
                .at(time(change.at()))
                .revision(change.revision());
    }

    private static io.liftoff.checklist.api.model.Transition transition(Transition transition) {
        return new io.liftoff.checklist.api.model.Transition()
                .from(io.liftoff.checklist.api.model.ReleaseStatus.valueOf(transition.from().name()))
                .to(io.liftoff.checklist.api.model.ReleaseStatus.valueOf(transition.to().name()))
                .by(transition.by())
                .at(time(transition.at()))
                .reason(transition.reason());
    }

    private static MetricTarget target(io.liftoff.checklist.checklist.MetricTarget target) {
        if (target == null) {
            return null;
        }
        return new MetricTarget()
                .metric(target.metric())
                .comparator(MetricTarget.ComparatorEnum.fromValue(target.comparator().symbol()))
                .threshold(target.threshold())
                .unit(target.unit() == null ? null : MetricTarget.UnitEnum.fromValue(target.unit()))
                .aggregation(target.aggregation())
                .baseline(target.baseline())
                .relative(target.relative() == null ? null
                        : MetricTarget.RelativeEnum.fromValue(target.relative().name()))
                .observed(target.observed());
    }

    private static SignoffSpec signoff(io.liftoff.checklist.checklist.SignoffSpec signoff) {
        if (signoff == null) {
            return null;
        }
        return new SignoffSpec().role(signoff.role()).title(signoff.title())
                .phase(Phase.valueOf(signoff.phase().name()));
    }

    private static ContactSpec contact(io.liftoff.checklist.checklist.ContactSpec contact) {
        if (contact == null) {
            return null;
        }
        return new ContactSpec()
                .type(ContactSpec.TypeEnum.fromValue(contact.type().name()))
                .role(contact.role())
                .name(contact.name())
                .phone(contact.phone())
                .email(contact.email())
                .level(contact.level())
                .members(contact.members() == null ? null : new ArrayList<>(contact.members()))
                .channel(contact.channel())
                .address(contact.address())
                .primary(contact.primary())
                .note(contact.note());
    }

    private static Progress progress(ProgressReport report) {
        Map<String, Count> byPhase = new LinkedHashMap<>();
        report.byPhase().forEach((phase, summary) -> byPhase.put(phase.name(), count(summary)));
        List<SectionProgress> bySection = report.bySection().stream()
                .map(sp -> new SectionProgress()
                        .key(sp.section().key())
                        .title(sp.section().title())
                        .level(sp.section().level())
                        .phase(Phase.valueOf(sp.section().phase().name()))
                        .window(sp.section().window() == null ? null : sp.section().window().toString())
                        .progress(count(sp.progress())))
                .toList();
        return new Progress().overall(count(report.overall())).byPhase(byPhase).bySection(bySection);
    }

    static Count count(ProgressSummary summary) {
        if (summary == null) {
            return null;
        }
        return new Count().done(summary.done()).applicable(summary.applicable()).blocked(summary.blocked())
                .percent(summary.percent());
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
