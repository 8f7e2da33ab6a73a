package io.liftoff.signoff.checklist;

import java.util.List;

import io.liftoff.signoff.checklist.api.model.Item;
import io.liftoff.signoff.checklist.api.model.Release;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** Reads a release through the generated Feign client and maps it to {@link ReleaseView}. */
@Component
public class ReleaseReader {

    private final ChecklistClient client;

    ReleaseReader(ChecklistClient client) {
        this.client = client;
    }

    /** The release; 404 problem when unknown, 503 problem when the checklist cannot be read (fail closed). */
    public ReleaseView read(String releaseId) {
        ResponseEntity<Release> response = client.getRelease(releaseId);
        Release release = response.getBody();
        if (!response.getStatusCode().is2xxSuccessful() || release == null || release.getId() == null) {
            throw ChecklistFallback.unavailable(null);
        }
        return new ReleaseView(release.getId(), release.getProduct(),
                release.getStatus() == null ? null : release.getStatus().getValue(), release.getCreatedBy(),
                release.getChecklistVersion() == null ? 0 : release.getChecklistVersion(), items(release.getItems()));
    }

    private static List<ReleaseView.ItemView> items(List<Item> items) {
        if (items == null) {
            return List.of();
        }
        return items.stream().map(item -> new ReleaseView.ItemView(item.getKey(), item.getText(),
                item.getKind() == null ? null : item.getKind().getValue(),
                item.getState() == null ? null : item.getState().getValue(),
                item.getPhase() == null ? null : item.getPhase().getValue(),
                item.getSignoff() == null ? null : item.getSignoff().getRole(),
                item.getSignoff() == null || item.getSignoff().getPhase() == null ? null
                        : item.getSignoff().getPhase().getValue(),
                items(item.getChildren()))).toList();
    }
}
