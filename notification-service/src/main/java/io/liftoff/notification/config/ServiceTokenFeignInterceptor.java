package io.liftoff.notification.config;

import java.util.List;

import feign.RequestInterceptor;
import feign.RequestTemplate;
import io.liftoff.common.security.ServiceTokenSource;

import org.springframework.stereotype.Component;

/**
 * Calls to checklist-service carry notification-service's own client-credentials token (DESIGN.md section 8) and ask
 * for JSON only (the release operation can also answer Markdown).
 */
@Component
class ServiceTokenFeignInterceptor implements RequestInterceptor {

    private final ServiceTokenSource tokens;

    ServiceTokenFeignInterceptor(ServiceTokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public void apply(RequestTemplate template) {
        tokens.token().ifPresent(token -> template.header("Authorization", "Bearer " + token));
        template.header("Accept", List.of());
        template.header("Accept", "application/json");
    }
}
