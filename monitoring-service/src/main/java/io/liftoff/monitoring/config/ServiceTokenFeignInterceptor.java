package io.liftoff.monitoring.config;

import feign.RequestInterceptor;
import feign.RequestTemplate;
import io.liftoff.common.security.ServiceTokenSource;

import org.springframework.stereotype.Component;

/** Service-to-service calls carry monitoring-service's own client-credentials token (DESIGN.md section 8). */
@Component
class ServiceTokenFeignInterceptor implements RequestInterceptor {

    private final ServiceTokenSource tokens;

    ServiceTokenFeignInterceptor(ServiceTokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public void apply(RequestTemplate template) {
        tokens.token().ifPresent(token -> template.header("Authorization", "Bearer " + token));
    }
}
