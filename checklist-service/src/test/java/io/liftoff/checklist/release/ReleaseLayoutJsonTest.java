package io.liftoff.checklist.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.markdown.ChecklistFixture;
import io.liftoff.checklist.markdown.MarkdownChecklistParser;
import org.junit.jupiter.api.Test;

/** A layout is stored as JSON: every line, section, item (targets, sign-offs, contacts) and field comes back equal. */
class ReleaseLayoutJsonTest {

    @Test
    void theFixturesLayoutSurvivesItsStoredForm() {
        Checklist checklist = new MarkdownChecklistParser().parse(ChecklistFixture.markdown());
        Release release = Release.open("r-1", "toolboxai", "1.1.0", ReleaseType.MINOR, "1.0.5",
                LocalDate.of(2025, 1, 15), checklist, null, null, "riley", Instant.parse("2026-11-25T10:00:00Z"));
        ReleaseLayout layout = release.layout();

        ReleaseLayout read = ReleaseLayouts.fromJson(ReleaseLayouts.toJson(layout));

        assertThat(read).isEqualTo(layout);
        assertThat(read.items()).hasSize(checklist.items().size());
        assertThat(read.items()).anySatisfy(item -> assertThat(item.target()).isNotNull());
        assertThat(read.items()).anySatisfy(item -> assertThat(item.contact()).isNotNull());
        assertThat(read.items()).anySatisfy(item -> assertThat(item.signoff()).isNotNull());
    }
}
