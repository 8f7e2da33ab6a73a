package io.liftoff.signoff.checklist;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What signoff-service needs of a release, read from checklist-service: its product, status, creator, checklist
 * version and item tree. Free of web and Feign types.
 */
public record ReleaseView(String id, String product, String status, String createdBy, long checklistVersion,
        List<ItemView> items) {

    /** An item: {@code signoffRole}/{@code signoffPhase} are set for SIGNOFF items. */
    public record ItemView(String key, String text, String kind, String state, String phase, String signoffRole,
            String signoffPhase, List<ItemView> children) {

        public boolean isSignoff() {
            return "SIGNOFF".equals(kind);
        }
    }

    /** A role the release needs, with the keys of the attestations nested under its SIGNOFF item. */
    public record RoleRequirement(String role, String phase, String itemKey, String title,
            List<String> attestations) {
    }

    public List<RoleRequirement> requirements(String phase) {
        List<RoleRequirement> result = new ArrayList<>();
        walk(items, item -> {
            if (item.isSignoff() && item.signoffRole() != null && phase.equals(signoffPhase(item))) {
                List<String> attestations = new ArrayList<>();
                walk(item.children(), child -> attestations.add(child.key()));
                result.add(new RoleRequirement(item.signoffRole(), phase, item.key(), item.text(), attestations));
            }
        });
        return result;
    }

    public Optional<RoleRequirement> requirement(String role) {
        for (String phase : List.of("PRE_RELEASE", "POST_RELEASE")) {
            for (RoleRequirement requirement : requirements(phase)) {
                if (requirement.role().equals(role)) {
                    return Optional.of(requirement);
                }
            }
        }
        return Optional.empty();
    }

    private static String signoffPhase(ItemView item) {
        return item.signoffPhase() != null ? item.signoffPhase() : item.phase();
    }

    static void walk(List<ItemView> items, java.util.function.Consumer<ItemView> visitor) {
        if (items == null) {
            return;
        }
        for (ItemView item : items) {
            visitor.accept(item);
            walk(item.children(), visitor);
        }
    }

    /** Items of a phase, at any depth, skipping SIGNOFF items and everything under them. */
    public List<ItemView> phaseItems(String phase) {
        List<ItemView> result = new ArrayList<>();
        collect(items, phase, result);
        return result;
    }

    private static void collect(List<ItemView> items, String phase, List<ItemView> out) {
        if (items == null) {
            return;
        }
        for (ItemView item : items) {
            if (item.isSignoff()) {
                continue;
            }
            if (phase.equals(item.phase())) {
                out.add(item);
            }
            collect(item.children(), phase, out);
        }
    }
}
