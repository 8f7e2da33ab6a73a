package io.liftoff.monitoring.alerts;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration
class AlertmanagerWebConfiguration implements WebMvcConfigurer {

    private final AlertmanagerAuthentication authentication;

    AlertmanagerWebConfiguration(AlertmanagerAuthentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authentication).addPathPatterns("/api/alertmanager/webhook");
    }
}
