package io.liftoff.notification.config;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.common.security.Roles;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Product visibility on the data itself: another product's data answers 404 (as if it did not exist); a caller who
 * sees it but may not change it (an auditor) gets 403.
 */
public final class ProductAccess {

    private ProductAccess() {
    }

    public static CurrentUser user() {
        return CurrentUser.of(SecurityContextHolder.getContext().getAuthentication());
    }

    public static void requireRead(CurrentUser user, String product, String what, String id) {
        if (product == null || !user.canRead(product)) {
            throw ProblemException.notFound(what, id);
        }
    }

    public static void requireWrite(CurrentUser user, String product, String what, String id) {
        requireRead(user, product, what, id);
        if (!user.canWrite(product)) {
            throw forbidden("Your roles do not allow changes to " + what.toLowerCase() + " '" + id + "'");
        }
    }

    /** A person of the product (not a service, not an auditor) acknowledges. */
    public static void requirePersonOf(CurrentUser user, String product, String what, String id) {
        requireRead(user, product, what, id);
        boolean person = !user.hasRole(Roles.SERVICE) && !(user.hasRole(Roles.AUDITOR) && !user.hasRole(Roles.ADMIN));
        if (!person || !(user.products().contains(product) || user.hasRole(Roles.ADMIN))) {
            throw forbidden("Only a person of product '" + product + "' acknowledges its notifications");
        }
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", detail);
    }
}
