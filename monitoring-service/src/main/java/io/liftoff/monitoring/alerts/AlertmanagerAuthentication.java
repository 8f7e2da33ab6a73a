package io.liftoff.monitoring.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.monitoring.config.MonitoringProperties;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Who may post to the Alertmanager webhook, decided before the body is read: a validated token with the
 * {@code service} role, or Alertmanager's shared secret in {@code X-Liftoff-Alertmanager-Secret} (compared in constant
 * time). The path is open in the filter chain only so that the secret can stand in for a token.
 */
@Component
class AlertmanagerAuthentication implements HandlerInterceptor {

    static final String SECRET_HEADER = "X-Liftoff-Alertmanager-Secret";

    private final MonitoringProperties properties;

    AlertmanagerAuthentication(MonitoringProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken) {
            if (!CurrentUser.of(authentication).hasRole("service")) {
                throw new ProblemException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden",
                        "Only the platform's services and Alertmanager may post alerts");
            }
            return true;
        }
        String configured = properties.alertmanager().sharedSecret();
        String sent = request.getHeader(SECRET_HEADER);
        if (configured == null || configured.isBlank() || sent == null
                || !MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8),
                        sent.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                    "A service token or Alertmanager's shared secret is required");
        }
        return true;
    }
}
