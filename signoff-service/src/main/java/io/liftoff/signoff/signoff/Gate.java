package io.liftoff.signoff.signoff;

import java.util.ArrayList;
import java.util.List;

import io.liftoff.signoff.canonical.PhaseDigest;
import io.liftoff.signoff.checklist.ReleaseView;

/**
 * A phase's gate: clear when every role the release needs for the phase has a current APPROVE whose digest matches the
 * checklist now. A REJECT blocks until it is revoked; an APPROVE over an older digest is stale.
 */
public record Gate(String releaseId, String phase, boolean cleared, List<String> requiredRoles,
        List<String> missingRoles, List<String> staleSignoffs, List<String> rejectedSignoffs, long checklistVersion,
        String digest) {

    public static Gate evaluate(ReleaseView release, ReleaseSignoffs signoffs, String phase) {
        String digest = PhaseDigest.of(release, phase);
        List<String> required = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (ReleaseView.RoleRequirement requirement : release.requirements(phase)) {
            String role = requirement.role();
            if (required.contains(role)) {
                continue;
            }
            required.add(role);
            SignoffRecord latest = signoffs == null ? null : signoffs.latestFor(role).orElse(null);
            if (latest == null) {
                missing.add(role);
            }
            else if ("REJECT".equals(latest.decision())) {
                rejected.add(role);
            }
            else if (!digest.equals(latest.digest())) {
                stale.add(role);
            }
        }
        boolean cleared = missing.isEmpty() && stale.isEmpty() && rejected.isEmpty();
        return new Gate(release.id(), phase, cleared, required, missing, stale, rejected, release.checklistVersion(),
                digest);
    }
}
