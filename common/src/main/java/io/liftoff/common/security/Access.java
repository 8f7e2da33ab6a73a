package io.liftoff.common.security;

/**
 * {@code @PreAuthorize} expressions shared by the services. Product visibility (another product's data answers 404)
 * is checked by each service on the data itself.
 */
public final class Access {

    /** Any role of the platform: people of every role, the platform's services, partner tooling. */
    public static final String READ = "hasAnyRole('viewer','engineer','release-manager','auditor','admin','service',"
            + "'partner','engineering-manager','security-lead','qa-lead','devops-lead','product-manager',"
            + "'engineering-lead')";

    /** Release managers and admins: create releases and templates, move releases. */
    public static final String MANAGE = "hasAnyRole('release-manager','admin')";

    /** Who ticks checklist items: engineers, release managers, admins and the platform's services. */
    public static final String WORK = "hasAnyRole('engineer','release-manager','admin','service')";

    /** The platform's own services only. */
    public static final String SERVICE = "hasRole('service')";

    private Access() {
    }
}
