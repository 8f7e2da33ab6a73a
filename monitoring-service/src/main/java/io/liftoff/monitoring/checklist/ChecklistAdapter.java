package io.liftoff.monitoring.checklist;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.monitoring.checklist.api.model.Item;
import io.liftoff.monitoring.checklist.api.model.ItemKind;
import io.liftoff.monitoring.checklist.api.model.ItemState;
import io.liftoff.monitoring.checklist.api.model.ItemUpdate;
import io.liftoff.monitoring.checklist.api.model.MetricTarget;
import io.liftoff.monitoring.checklist.api.model.Release;
import io.liftoff.monitoring.checklist.api.model.SectionProgress;
import io.liftoff.monitoring.monitoring.ChecklistPort;
import io.liftoff.monitoring.monitoring.ReleaseSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** {@link ChecklistPort} through the generated Feign clients of checklist-service's contract. */
@Component
class ChecklistAdapter implements ChecklistPort {

    static final java.net.URI UNAVAILABLE = ProblemTypes.of("checklist-unavailable");
    private static final Logger log = LoggerFactory.getLogger(ChecklistAdapter.class);
    private static final int PRECONDITION_ATTEMPTS = 3;

    private final ChecklistReader reader;
    private final ChecklistItemWriter writer;

    ChecklistAdapter(ChecklistReader reader, ChecklistItemWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }

    @Override
    public ReleaseSnapshot read(String releaseId) {
        ResponseEntity<Release> response = reader.getRelease(releaseId);
        if (response.getStatusCode().value() == 404) {
            throw ProblemException.notFound("Release", releaseId);
        }
        if (!response.getStatusCode().is2xxSuccessful() || response.getBody() == null) {
            String cause = response.getHeaders().getFirst(ChecklistFallbacks.CAUSE_HEADER);
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, "Checklist unavailable",
                    "checklist-service could not give release " + releaseId + " ("
                            + (cause != null ? cause : "status " + response.getStatusCode().value())
                            + "); monitoring is not started on a guess");
        }
        return toSnapshot(response.getBody());
    }

    static ReleaseSnapshot toSnapshot(Release release) {
        List<ReleaseSnapshot.WindowSpec> windows = new ArrayList<>();
        if (release.getProgress() != null && release.getProgress().getBySection() != null) {
            for (SectionProgress section : release.getProgress().getBySection()) {
                if (section.getWindow() != null && !section.getWindow().isBlank()) {
                    try {
                        windows.add(new ReleaseSnapshot.WindowSpec(section.getKey(), section.getTitle(),
                                Duration.parse(section.getWindow())));
                    }
                    catch (DateTimeParseException ex) {
                        log.warn("Section {} names a window that is not a duration: {}", section.getKey(),
                                section.getWindow());
                    }
                }
            }
        }
        List<ReleaseSnapshot.ItemSpec> items = new ArrayList<>();
        collect(release.getItems(), items);
        return new ReleaseSnapshot(release.getId(), release.getProduct(), release.getVersion(),
                release.getStatus() == null ? null : release.getStatus().getValue(),
                release.getDeployedAt() == null ? null : release.getDeployedAt().toInstant(), windows, items);
    }

    private static void collect(List<Item> items, List<ReleaseSnapshot.ItemSpec> into) {
        if (items == null) {
            return;
        }
        for (Item item : items) {
            if (item.getKind() == ItemKind.METRIC || item.getKind() == ItemKind.TRIGGER) {
                into.add(new ReleaseSnapshot.ItemSpec(item.getId(), item.getKey(), item.getText(),
                        item.getKind().getValue(), item.getSection(), target(item.getTarget())));
            }
            collect(item.getChildren(), into);
        }
    }

    private static ReleaseSnapshot.Target target(MetricTarget target) {
        if (target == null || target.getMetric() == null || target.getComparator() == null
                || target.getThreshold() == null) {
            return null;
        }
        return new ReleaseSnapshot.Target(target.getMetric(), target.getComparator().getValue(),
                target.getThreshold(), target.getUnit() == null ? null : target.getUnit().getValue(),
                target.getAggregation(), target.getRelative() == null ? null : target.getRelative().getValue());
    }

    /** GET for the ETag, PATCH with If-Match; a 412 (someone changed the release meanwhile) reads again. */
    @Override
    public WriteOutcome setItemState(String releaseId, String itemId, String state, String note, String evidence) {
        for (int attempt = 0; attempt < PRECONDITION_ATTEMPTS; attempt++) {
            ResponseEntity<Release> current = reader.getRelease(releaseId);
            if (current.getStatusCode().value() == 404) {
                return WriteOutcome.REFUSED;
            }
            String etag = current.getHeaders().getETag();
            if (!current.getStatusCode().is2xxSuccessful() || etag == null) {
                return WriteOutcome.RETRY;
            }
            ItemUpdate update = new ItemUpdate().state(ItemState.fromValue(state)).note(note).evidence(evidence);
            int status = writer.updateItem(releaseId, itemId, etag, update).getStatusCode().value();
            if (status >= 200 && status < 300) {
                return WriteOutcome.DONE;
            }
            if (status == 412) {
                continue;
            }
            if (status == 400 || status == 404 || status == 409 || status == 403) {
                return WriteOutcome.REFUSED;
            }
            return WriteOutcome.RETRY;
        }
        return WriteOutcome.RETRY;
    }
}
