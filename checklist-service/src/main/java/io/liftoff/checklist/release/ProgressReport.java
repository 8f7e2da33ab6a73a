package io.liftoff.checklist.release;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.Phase;
import io.liftoff.checklist.checklist.Section;

/** Progress overall, per phase and per section (a section counts the items of its sub-sections too). */
public record ProgressReport(ProgressSummary overall, Map<Phase, ProgressSummary> byPhase,
        List<SectionProgress> bySection) {

    public record SectionProgress(Section section, ProgressSummary progress) {
    }

    public static ProgressReport of(List<Section> sections, List<Item> items) {
        Map<Phase, List<Item>> perPhase = new EnumMap<>(Phase.class);
        for (Item item : items) {
            perPhase.computeIfAbsent(item.phase(), p -> new ArrayList<>()).add(item);
        }
        Map<Phase, ProgressSummary> byPhase = new EnumMap<>(Phase.class);
        perPhase.forEach((phase, phaseItems) -> byPhase.put(phase, ProgressSummary.of(phaseItems)));
        List<SectionProgress> bySection = new ArrayList<>();
        for (Section section : sections) {
            String prefix = section.key() + "/";
            List<Item> inSection = items.stream()
                    .filter(item -> item.sectionKey() != null
                            && (item.sectionKey().equals(section.key()) || item.sectionKey().startsWith(prefix)))
                    .toList();
            bySection.add(new SectionProgress(section, ProgressSummary.of(inSection)));
        }
        return new ProgressReport(ProgressSummary.of(items), byPhase, bySection);
    }
}
