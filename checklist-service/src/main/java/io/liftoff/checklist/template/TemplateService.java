package io.liftoff.checklist.template;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.markdown.MarkdownChecklistParser;
import io.liftoff.checklist.release.ReleaseProblems;
import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;

import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

/** Templates: created from Markdown, versioned, published versions immutable. Templates are shared by all products. */
@Service
public class TemplateService {

    public static final java.net.URI VERSION_PUBLISHED = ProblemTypes.of("template-version-published");
    public static final java.net.URI VERSION_NOT_PUBLISHED = ProblemTypes.of("template-version-not-published");

    private final TemplateRepository repository;
    private final MarkdownChecklistParser parser;
    private final Clock clock;

    TemplateService(TemplateRepository repository, MarkdownChecklistParser parser, Clock clock) {
        this.repository = repository;
        this.parser = parser;
        this.clock = clock;
    }

    public record Published(int version, Checklist checklist) {
    }

    public Template create(CurrentUser user, String name, String description, String markdown, boolean publish) {
        if (name == null || name.isBlank()) {
            throw ProblemException.badRequest(ProblemTypes.VALIDATION, "Missing name", "A template needs a name")
                    .with("field", "name");
        }
        Template template = Template.create(UUID.randomUUID().toString(), name.trim(), description, parse(markdown),
                user.name(), clock.instant());
        if (publish) {
            template.publish(1, clock.instant());
        }
        return repository.insert(template);
    }

    public Template addVersion(CurrentUser user, String templateId, String markdown, boolean publish) {
        Template template = get(templateId);
        Checklist checklist = parse(markdown);
        var version = template.addVersion(checklist, user.name(), clock.instant());
        if (publish) {
            template.publish(version.version(), clock.instant());
        }
        return repository.save(template);
    }

    public Template publish(String templateId, int version) {
        Template template = get(templateId);
        template.version(version).orElseThrow(() -> ProblemException.notFound("Template version",
                templateId + "/" + version));
        if (!template.publish(version, clock.instant())) {
            throw ProblemException.conflict(VERSION_PUBLISHED, "Already published",
                    "Version " + version + " of template '" + template.getName() + "' is published and immutable");
        }
        return repository.save(template);
    }

    public List<Template> list() {
        return repository.findAll(Sort.by("name"));
    }

    public Template get(String templateId) {
        return repository.findById(templateId).orElseThrow(() -> ProblemException.notFound("Template", templateId));
    }

    public TemplateVersion version(String templateId, int version) {
        return get(templateId).version(version)
                .orElseThrow(() -> ProblemException.notFound("Template version", templateId + "/" + version));
    }

    /** The published version to open a release from: the one asked for, or the latest published. */
    public Published published(String templateId, Integer version) {
        Template template = get(templateId);
        TemplateVersion chosen = version == null
                ? template.latestPublished().orElseThrow(() -> ProblemException.conflict(VERSION_NOT_PUBLISHED,
                        "No published version", "Template '" + template.getName() + "' has no published version"))
                : template.version(version).orElseThrow(() -> ProblemException.notFound("Template version",
                        templateId + "/" + version));
        if (!chosen.published()) {
            throw ProblemException.conflict(VERSION_NOT_PUBLISHED, "Version not published",
                    "Version " + chosen.version() + " of template '" + template.getName()
                            + "' is a draft; publish it first");
        }
        return new Published(chosen.version(), chosen.checklist());
    }

    private Checklist parse(String markdown) {
        return ReleaseProblems.parse(parser, markdown);
    }
}
