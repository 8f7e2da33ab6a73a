package io.liftoff.common.problem;

import java.net.URI;

/**
 * Stable RFC 9457 problem {@code type} URIs shared by every Liftoff service; each contract lists the ones it uses.
 * Services add their own kinds with {@link #of(String)}.
 */
public final class ProblemTypes {

    public static final String BASE = "https://liftoff.dev/problems/";

    public static final URI VALIDATION = of("validation-failed");
    public static final URI MALFORMED_BODY = of("malformed-body");
    public static final URI INVALID_PARAMETER = of("invalid-parameter");
    public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");
    public static final URI NOT_ACCEPTABLE = of("not-acceptable");
    public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");
    public static final URI NOT_FOUND = of("not-found");
    public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");
    public static final URI CONFLICT = of("conflict");
    public static final URI CONCURRENT_MODIFICATION = of("concurrent-modification");
    public static final URI PRECONDITION_FAILED = of("precondition-failed");
    public static final URI PRECONDITION_REQUIRED = of("precondition-required");
    public static final URI UNAUTHORIZED = of("unauthorized");
    public static final URI FORBIDDEN = of("forbidden");
    public static final URI SERVICE_UNAVAILABLE = of("service-unavailable");
    public static final URI INTERNAL = of("internal-error");

    private ProblemTypes() {
    }

    public static URI of(String kind) {
        return URI.create(BASE + kind);
    }
}
