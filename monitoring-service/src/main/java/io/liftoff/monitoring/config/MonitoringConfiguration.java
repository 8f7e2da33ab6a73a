package io.liftoff.monitoring.config;

import io.liftoff.common.security.ProblemSecurityHandlers;
import io.liftoff.common.security.RealmRolesAuthenticationConverter;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.NullRequestCache;

@Configuration
@EnableConfigurationProperties(MonitoringProperties.class)
class MonitoringConfiguration {

    /**
     * The shared chain, plus the Alertmanager webhook reachable without a token: Alertmanager may authenticate with
     * the shared secret instead, which the webhook checks itself. A bearer token that is sent is still validated.
     */
    @Bean
    SecurityFilterChain monitoringSecurityFilterChain(HttpSecurity http, ProblemSecurityHandlers handlers)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus", "/error", "/api-docs/**", "/api/alertmanager/webhook")
                        .permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new RealmRolesAuthenticationConverter()))
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers));
        return http.build();
    }
}
