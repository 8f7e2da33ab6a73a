package io.liftoff.checklist.release;

import static io.liftoff.checklist.release.ReleaseStatus.ABORTED;
import static io.liftoff.checklist.release.ReleaseStatus.DEPLOYING;
import static io.liftoff.checklist.release.ReleaseStatus.DRAFT;
import static io.liftoff.checklist.release.ReleaseStatus.MONITORING;
import static io.liftoff.checklist.release.ReleaseStatus.PREPARING;
import static io.liftoff.checklist.release.ReleaseStatus.READY;
import static io.liftoff.checklist.release.ReleaseStatus.RELEASED;
import static io.liftoff.checklist.release.ReleaseStatus.ROLLED_BACK;
import static io.liftoff.checklist.release.ReleaseStatus.ROLLING_BACK;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.liftoff.checklist.checklist.Phase;

/**
 * The release lifecycle of DESIGN.md section 3: which moves exist, and which need a sign-off gate.
 * <pre>
 * DRAFT → PREPARING → READY → DEPLOYING → MONITORING → RELEASED
 * DEPLOYING | MONITORING → ROLLING_BACK → ROLLED_BACK
 * any state before RELEASED → ABORTED
 * </pre>
 */
public final class Lifecycle {

    private static final Map<ReleaseStatus, Set<ReleaseStatus>> MOVES = Map.of(
            DRAFT, EnumSet.of(PREPARING, ABORTED),
            PREPARING, EnumSet.of(READY, ABORTED),
            READY, EnumSet.of(DEPLOYING, ABORTED),
            DEPLOYING, EnumSet.of(MONITORING, ROLLING_BACK, ABORTED),
            MONITORING, EnumSet.of(RELEASED, ROLLING_BACK, ABORTED),
            ROLLING_BACK, EnumSet.of(ROLLED_BACK),
            RELEASED, EnumSet.noneOf(ReleaseStatus.class),
            ROLLED_BACK, EnumSet.noneOf(ReleaseStatus.class),
            ABORTED, EnumSet.noneOf(ReleaseStatus.class));

    private Lifecycle() {
    }

    public static boolean allowed(ReleaseStatus from, ReleaseStatus to) {
        return MOVES.get(from).contains(to);
    }

    public static Set<ReleaseStatus> movesFrom(ReleaseStatus from) {
        return MOVES.get(from);
    }

    /** The sign-off gate a move needs, or null: READY → DEPLOYING needs PRE_RELEASE, MONITORING → RELEASED POST_RELEASE. */
    public static Phase gateFor(ReleaseStatus from, ReleaseStatus to) {
        if (from == READY && to == DEPLOYING) {
            return Phase.PRE_RELEASE;
        }
        if (from == MONITORING && to == RELEASED) {
            return Phase.POST_RELEASE;
        }
        return null;
    }

    /** The checklist phase whose items must all be done (or not applicable) before entering {@code to}, or null. */
    public static Phase itemsCompleteFor(ReleaseStatus to) {
        return switch (to) {
            case READY -> Phase.PRE_RELEASE;
            case MONITORING -> Phase.DEPLOYMENT;
            default -> null;
        };
    }
}
