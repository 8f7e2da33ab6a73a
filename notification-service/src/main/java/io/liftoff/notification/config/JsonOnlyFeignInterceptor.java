package io.liftoff.notification.config;

import java.util.List;

import feign.RequestInterceptor;
import feign.RequestTemplate;

import org.springframework.stereotype.Component;

/**
 * Calls to checklist-service ask for JSON only (its release operation can also answer Markdown). The service token
 * is added by common's service-token interceptor.
 */
@Component
class JsonOnlyFeignInterceptor implements RequestInterceptor {

    @Override
    public void apply(RequestTemplate template) {
        template.header("Accept", List.of());
        template.header("Accept", "application/json");
    }
}
