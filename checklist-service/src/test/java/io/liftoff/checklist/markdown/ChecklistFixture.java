package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The real release checklist used as test fixture, and look-ups into its parse. */
public final class ChecklistFixture {

    static final String PATH = "/fixtures/release-checklist-v1.1.0.md";

    private ChecklistFixture() {
    }

    public static String markdown() {
        try (InputStream in = ChecklistFixture.class.getResourceAsStream(PATH)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + PATH);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Item itemByKey(Checklist checklist, String key) {
        return checklist.items().stream().filter(i -> i.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no item with key " + key));
    }

    static Item itemByText(Checklist checklist, String text) {
        return checklist.items().stream().filter(i -> i.text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no item with text " + text));
    }
}
