package io.liftoff.checklist.template;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.liftoff.checklist.api.TemplatesApi;
import io.liftoff.checklist.api.model.CreateTemplateRequest;
import io.liftoff.checklist.api.model.TemplateVersionSummary;
import io.liftoff.checklist.markdown.MarkdownChecklistExporter;
import io.liftoff.checklist.release.ReleaseController;
import io.liftoff.checklist.release.ReleaseMapper;
import io.liftoff.common.problem.JsonBodyReader;
import io.liftoff.common.security.Access;
import io.liftoff.common.security.CurrentUser;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TemplateController implements TemplatesApi {

    private final TemplateService templates;
    private final MarkdownChecklistExporter exporter;
    private final JsonBodyReader json;
    private final HttpServletRequest request;

    TemplateController(TemplateService templates, MarkdownChecklistExporter exporter, JsonBodyReader json,
            HttpServletRequest request) {
        this.templates = templates;
        this.exporter = exporter;
        this.json = json;
        this.request = request;
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<io.liftoff.checklist.api.model.Template> createTemplate(String body, String name,
            Boolean publish) {
        Template template;
        String contentType = request.getContentType();
        if (contentType != null && contentType.toLowerCase().startsWith("text/markdown")) {
            template = templates.create(user(), name, null, body, Boolean.TRUE.equals(publish));
        }
        else {
            CreateTemplateRequest create = json.read(body, CreateTemplateRequest.class);
            template = templates.create(user(), create.getName(), create.getDescription(), create.getMarkdown(),
                    Boolean.TRUE.equals(create.getPublish()) || Boolean.TRUE.equals(publish));
        }
        return ResponseEntity.created(URI.create("/api/templates/" + template.getId())).body(toApi(template));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<io.liftoff.checklist.api.model.Template> addTemplateVersion(String templateId, String body,
            Boolean publish) {
        Template template = templates.addVersion(user(), templateId, body, Boolean.TRUE.equals(publish));
        return ResponseEntity.created(URI.create("/api/templates/" + templateId + "/versions/"
                + template.getVersions().size())).body(toApi(template));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<io.liftoff.checklist.api.model.Template> publishTemplateVersion(String templateId,
            Integer version) {
        return ResponseEntity.ok(toApi(templates.publish(templateId, version)));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<io.liftoff.checklist.api.model.Template> getTemplate(String templateId) {
        return ResponseEntity.ok(toApi(templates.get(templateId)));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<List<io.liftoff.checklist.api.model.Template>> listTemplates() {
        return ResponseEntity.ok(templates.list().stream().map(TemplateController::toApi).toList());
    }

    @Override
    @PreAuthorize(Access.READ)
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public ResponseEntity<io.liftoff.checklist.api.model.TemplateVersion> getTemplateVersion(String templateId,
            Integer version) {
        TemplateVersion found = templates.version(templateId, version);
        if (ReleaseController.prefersMarkdown(request.getHeader("Accept"))) {
            return (ResponseEntity) ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("text/markdown;charset=UTF-8"))
                    .body(exporter.export(found.checklist()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        found.metadata().forEach(field -> metadata.put(field.name(), field.value()));
        return ResponseEntity.ok(new io.liftoff.checklist.api.model.TemplateVersion()
                .templateId(templateId)
                .version(found.version())
                .published(found.published())
                .title(found.title())
                .metadata(metadata)
                .items(ReleaseMapper.tree(found.items())));
    }

    static io.liftoff.checklist.api.model.Template toApi(Template template) {
        return new io.liftoff.checklist.api.model.Template()
                .id(template.getId())
                .name(template.getName())
                .description(template.getDescription())
                .latestPublishedVersion(template.latestPublished().map(TemplateVersion::version).orElse(null))
                .versions(template.getVersions().stream().map(v -> new TemplateVersionSummary()
                        .version(v.version())
                        .published(v.published())
                        .createdBy(v.createdBy())
                        .createdAt(time(v.createdAt()))
                        .publishedAt(time(v.publishedAt()))
                        .itemCount(v.items().size())).toList());
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static CurrentUser user() {
        return CurrentUser.of(SecurityContextHolder.getContext().getAuthentication());
    }
}
