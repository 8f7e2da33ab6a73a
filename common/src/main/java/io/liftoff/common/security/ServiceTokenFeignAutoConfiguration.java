package io.liftoff.common.security;

import feign.RequestInterceptor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Service-to-service calls through Feign carry the calling service's own client-credentials token (DESIGN.md
 * section 8), from the {@link ServiceTokenSource}; no header when none is configured.
 */
@AutoConfiguration(after = io.liftoff.common.outbox.OutboxAutoConfiguration.class)
@ConditionalOnClass(RequestInterceptor.class)
public class ServiceTokenFeignAutoConfiguration {

    @Bean
    RequestInterceptor serviceTokenFeignInterceptor(ServiceTokenSource tokens) {
        return template -> tokens.token().ifPresent(token -> template.header("Authorization", "Bearer " + token));
    }
}
