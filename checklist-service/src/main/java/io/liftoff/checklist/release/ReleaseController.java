package io.liftoff.checklist.release;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import io.liftoff.checklist.api.ItemsApi;
import io.liftoff.checklist.api.ReleasesApi;
import io.liftoff.checklist.api.model.CreateReleaseRequest;
import io.liftoff.checklist.api.model.Item;
import io.liftoff.checklist.api.model.ItemChange;
import io.liftoff.checklist.api.model.ItemUpdate;
import io.liftoff.checklist.api.model.ReleasePage;
import io.liftoff.checklist.api.model.TransitionRequest;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.checklist.markdown.MarkdownChecklistExporter;
import io.liftoff.common.problem.JsonBodyReader;
import io.liftoff.common.security.Access;
import io.liftoff.common.security.CurrentUser;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/** Releases and their items (DESIGN.md section 11). Thin: access, content negotiation, mapping. */
@RestController
public class ReleaseController implements ReleasesApi, ItemsApi {

    static final MediaType TEXT_MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");

    private final ReleaseService releases;
    private final MarkdownChecklistExporter exporter;
    private final JsonBodyReader json;
    private final HttpServletRequest request;

    ReleaseController(ReleaseService releases, MarkdownChecklistExporter exporter, JsonBodyReader json,
            HttpServletRequest request) {
        this.releases = releases;
        this.exporter = exporter;
        this.json = json;
        this.request = request;
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<io.liftoff.checklist.api.model.Release> createRelease(String body, String product,
            String version, io.liftoff.checklist.api.model.ReleaseType type) {
        Release release;
        if (isMarkdown(request.getContentType())) {
            release = releases.importMarkdown(user(), product, body, version,
                    type == null ? null : ReleaseType.valueOf(type.name()));
        }
        else {
            CreateReleaseRequest create = json.read(body, CreateReleaseRequest.class);
            release = releases.openFromTemplate(user(), create.getTemplateId(), create.getTemplateVersion(),
                    create.getProduct(), create.getVersion(), ReleaseType.valueOf(create.getType().name()),
                    create.getPreviousVersion(), create.getPlannedDate());
        }
        return ResponseEntity.created(URI.create("/api/releases/" + release.getId()))
                .eTag(ETags.of(release.getRevision()))
                .body(ReleaseMapper.toApi(release));
    }

    /**
     * JSON by default; the exported Markdown when the client prefers {@code text/markdown}. The generated signature
     * types the body as the JSON model, so the Markdown answer goes through a raw {@link ResponseEntity} whose String
     * body Spring writes with the string converter.
     */
    @Override
    @PreAuthorize(Access.READ)
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public ResponseEntity<io.liftoff.checklist.api.model.Release> getRelease(String releaseId) {
        Release release = releases.get(user(), releaseId);
        if (prefersMarkdown(request.getHeader("Accept"))) {
            return (ResponseEntity) ResponseEntity.ok().contentType(TEXT_MARKDOWN)
                    .eTag(ETags.of(release.getRevision()))
                    .body(exporter.export(release.checklist()));
        }
        return ResponseEntity.ok().eTag(ETags.of(release.getRevision())).body(ReleaseMapper.toApi(release));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<ReleasePage> listReleases(String product,
            io.liftoff.checklist.api.model.ReleaseStatus status, String version, Integer page, Integer size) {
        ReleaseService.Page result = releases.list(user(), product,
                status == null ? null : ReleaseStatus.valueOf(status.name()), version, page, size);
        return ResponseEntity.ok(ReleaseMapper.toPage(result));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<io.liftoff.checklist.api.model.Release> transitionRelease(String releaseId,
            TransitionRequest transition) {
        Release release = releases.transition(user(), releaseId, ReleaseStatus.valueOf(transition.getTo().name()),
                transition.getReason());
        return ResponseEntity.ok().eTag(ETags.of(release.getRevision())).body(ReleaseMapper.toApi(release));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<Item> getItem(String releaseId, String itemId) {
        Release release = releases.get(user(), releaseId);
        release.item(itemId);
        return ResponseEntity.ok().eTag(ETags.of(release.getRevision()))
                .body(ReleaseMapper.subtree(release.getItems(), itemId));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<List<ItemChange>> getItemHistory(String releaseId, String itemId) {
        return ResponseEntity.ok(releases.history(user(), releaseId, itemId).stream()
                .map(ReleaseMapper::change)
                .toList());
    }

    @Override
    @PreAuthorize(Access.WORK)
    public ResponseEntity<Item> updateItem(String releaseId, String itemId, String ifMatch, ItemUpdate update) {
        ReleaseService.ItemResult result = releases.updateItem(user(), releaseId, itemId, ifMatch,
                ItemState.valueOf(update.getState().name()), update.getNote(), update.getEvidence());
        return ResponseEntity.ok().eTag(ETags.of(result.release().getRevision()))
                .body(ReleaseMapper.item(result.item()));
    }

    static boolean isMarkdown(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith("text/markdown");
    }

    /** True when the Accept header ranks text/markdown above JSON. */
    public static boolean prefersMarkdown(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types = new java.util.ArrayList<>(MediaType.parseMediaTypes(accept));
        types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : types) {
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType()) {
                return false;
            }
            if (type.getType().equals("text") && type.getSubtype().equals("markdown")) {
                return true;
            }
        }
        return false;
    }

    private static CurrentUser user() {
        return CurrentUser.of(SecurityContextHolder.getContext().getAuthentication());
    }
}
