package io.liftoff.common.security;

/** The realm roles of DESIGN.md section 5, plus {@code service} for the services' own client-credentials tokens. */
public final class Roles {

    public static final String RELEASE_MANAGER = "release-manager";
    public static final String ENGINEER = "engineer";
    public static final String VIEWER = "viewer";
    public static final String AUDITOR = "auditor";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";
    public static final String PARTNER = "partner";

    private Roles() {
    }
}
