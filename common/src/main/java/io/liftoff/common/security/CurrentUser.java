package io.liftoff.common.security;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, read from a validated access token: the subject, a display name, the realm roles
 * ({@code realm_access.roles}), the products ({@code products} claim; group paths such as {@code /products/toolboxai}
 * are reduced to {@code toolboxai}), the authentication level ({@code acr}) and time ({@code auth_time}).
 */
public record CurrentUser(String subject, String name, Set<String> roles, Set<String> products, int acr,
        Instant authTime, String clientId) {

    public static CurrentUser of(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken token) {
            return of(token.getToken());
        }
        throw new IllegalStateException("Not a token authentication: " + authentication);
    }

    public static CurrentUser of(Jwt jwt) {
        String name = firstNonBlank(jwt.getClaimAsString("preferred_username"), jwt.getSubject());
        return new CurrentUser(jwt.getSubject(), name, realmRoles(jwt), products(jwt), acrLevel(jwt.getClaim("acr")),
                authTime(jwt.getClaim("auth_time")), firstNonBlank(jwt.getClaimAsString("azp"),
                        jwt.getClaimAsString("client_id")));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasAnyRole(String... wanted) {
        for (String role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** Auditors, admins and the platform's services read every product. */
    public boolean readsAllProducts() {
        return hasAnyRole(Roles.AUDITOR, Roles.ADMIN, Roles.SERVICE);
    }

    public boolean canRead(String product) {
        return readsAllProducts() || products.contains(product);
    }

    /** Admins and services change any product; everyone else only their own (auditors change nothing). */
    public boolean canWrite(String product) {
        if (hasRole(Roles.AUDITOR) && !hasAnyRole(Roles.ADMIN, Roles.SERVICE)) {
            return false;
        }
        return hasAnyRole(Roles.ADMIN, Roles.SERVICE) || products.contains(product);
    }

    @SuppressWarnings("unchecked")
    static Set<String> realmRoles(Jwt jwt) {
        Object realmAccess = jwt.getClaim("realm_access");
        if (realmAccess instanceof Map<?, ?> map && map.get("roles") instanceof Collection<?> roles) {
            Set<String> result = new LinkedHashSet<>();
            for (Object role : roles) {
                result.add(String.valueOf(role));
            }
            return Set.copyOf(result);
        }
        return Set.of();
    }

    static Set<String> products(Jwt jwt) {
        Object claim = jwt.getClaim("products");
        Collection<?> values = claim instanceof Collection<?> c ? c : claim instanceof String s ? List.of(s) : List.of();
        Set<String> result = new LinkedHashSet<>();
        for (Object value : values) {
            String product = String.valueOf(value);
            int slash = product.lastIndexOf('/');
            product = slash >= 0 ? product.substring(slash + 1) : product;
            if (!product.isBlank()) {
                result.add(product);
            }
        }
        return Set.copyOf(result);
    }

    /** {@code acr} as a level: "2"/"mfa" → 2, "1"/"pwd" → 1, anything else 0. */
    static int acrLevel(Object acr) {
        if (acr == null) {
            return 0;
        }
        String value = acr.toString().trim();
        return switch (value) {
            case "mfa", "2" -> 2;
            case "pwd", "1" -> 1;
            default -> {
                try {
                    yield Integer.parseInt(value);
                }
                catch (NumberFormatException ex) {
                    yield 0;
                }
            }
        };
    }

    static Instant authTime(Object claim) {
        if (claim instanceof Instant instant) {
            return instant;
        }
        if (claim instanceof Number number) {
            return Instant.ofEpochSecond(number.longValue());
        }
        return null;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
