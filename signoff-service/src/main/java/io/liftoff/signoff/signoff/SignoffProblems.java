package io.liftoff.signoff.signoff;

import java.net.URI;
import java.util.List;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;

import org.springframework.http.HttpStatus;

/** The problems of signing, each with a stable type. */
final class SignoffProblems {

    static final URI UNKNOWN_ROLE = ProblemTypes.of("unknown-role");
    static final URI ROLE_NOT_HELD = ProblemTypes.of("role-not-held");
    static final URI ROLE_NOT_REQUIRED = ProblemTypes.of("role-not-required");
    static final URI ATTESTATIONS_MISSING = ProblemTypes.of("attestations-missing");
    static final URI SEPARATION_OF_DUTIES = ProblemTypes.of("separation-of-duties");
    static final URI ALREADY_SIGNED = ProblemTypes.of("already-signed");
    static final URI CONCURRENT_SIGNOFF = ProblemTypes.of("concurrent-signoff");
    static final URI RELEASE_CLOSED = ProblemTypes.of("release-closed");
    static final URI ALREADY_REVOKED = ProblemTypes.of("already-revoked");
    static final URI NOT_YOUR_SIGNOFF = ProblemTypes.of("not-your-signoff");

    private SignoffProblems() {
    }

    static ProblemException unknownRole(String role) {
        return ProblemException.badRequest(UNKNOWN_ROLE, "Unknown role",
                "'" + role + "' is not a sign-off role; known: " + String.join(", ", SignoffRoles.ALL))
                .with("field", "role");
    }

    static ProblemException roleNotHeld(String role) {
        return new ProblemException(HttpStatus.FORBIDDEN, ROLE_NOT_HELD, "Role not held",
                "You do not hold the role '" + role + "'");
    }

    static ProblemException roleNotRequired(String role) {
        return ProblemException.unprocessable(ROLE_NOT_REQUIRED, "Role not required",
                "This release's checklist does not ask for a '" + role + "' sign-off").with("field", "role");
    }

    static ProblemException attestationsMissing(List<String> missing) {
        return ProblemException.unprocessable(ATTESTATIONS_MISSING, "Attestations missing",
                "Approving this role needs every attestation confirmed; missing: " + String.join(", ", missing))
                .with("missingAttestations", missing);
    }

    static ProblemException separationOfDuties(String detail) {
        return ProblemException.conflict(SEPARATION_OF_DUTIES, "Separation of duties", detail);
    }

    static ProblemException releaseClosed(String status, String phase) {
        return ProblemException.conflict(RELEASE_CLOSED, "Not signable now",
                "A " + phase + " sign-off cannot be given or revoked while the release is " + status);
    }
}
