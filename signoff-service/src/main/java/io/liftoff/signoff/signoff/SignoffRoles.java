package io.liftoff.signoff.signoff;

import java.util.List;

/** The realm roles that sign (DESIGN.md section 5). */
public final class SignoffRoles {

    public static final List<String> ALL = List.of("engineering-manager", "security-lead", "qa-lead", "devops-lead",
            "product-manager", "release-manager", "engineering-lead");

    /** {@code @PreAuthorize}: whoever holds a sign-off role may try to sign. */
    public static final String SIGNERS = "hasAnyRole('engineering-manager','security-lead','qa-lead','devops-lead',"
            + "'product-manager','release-manager','engineering-lead')";

    private SignoffRoles() {
    }
}
