package io.liftoff.checklist.template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.liftoff.checklist.checklist.Checklist;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;

/** A named, versioned checklist blueprint. Versions are appended; a published version is immutable. */
public class Template {

    @Id
    private String id;
    @Version
    private Long lockVersion;
    private String name;
    private String description;
    private String createdBy;
    private Instant createdAt;
    private List<TemplateVersion> versions;

    @PersistenceCreator
    Template() {
    }

    static Template create(String id, String name, String description, Checklist checklist, String actor,
            Instant now) {
        Template template = new Template();
        template.id = id;
        template.name = name;
        template.description = description;
        template.createdBy = actor;
        template.createdAt = now;
        template.versions = new ArrayList<>();
        template.versions.add(TemplateVersion.draft(1, checklist, actor, now));
        return template;
    }

    TemplateVersion addVersion(Checklist checklist, String actor, Instant now) {
        TemplateVersion version = TemplateVersion.draft(versions.size() + 1, checklist, actor, now);
        versions.add(version);
        return version;
    }

    /** Publishes a draft; false when it was already published (published versions never change). */
    boolean publish(int version, Instant now) {
        TemplateVersion current = version(version).orElseThrow();
        if (current.published()) {
            return false;
        }
        versions.set(version - 1, current.publish(now));
        return true;
    }

    public Optional<TemplateVersion> version(int version) {
        return version >= 1 && version <= versions.size() ? Optional.of(versions.get(version - 1)) : Optional.empty();
    }

    public Optional<TemplateVersion> latestPublished() {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).published()) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public List<TemplateVersion> getVersions() {
        return versions;
    }
}
