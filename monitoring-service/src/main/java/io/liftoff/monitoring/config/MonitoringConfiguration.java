package io.liftoff.monitoring.config;

import java.time.Clock;

import io.liftoff.common.security.ProblemSecurityHandlers;
import io.liftoff.common.security.RealmRolesAuthenticationConverter;
import io.liftoff.monitoring.monitoring.EvaluationScheduler;
import io.liftoff.monitoring.monitoring.Leases;
import io.liftoff.monitoring.monitoring.MonitoringService;
import io.liftoff.monitoring.monitoring.ReleaseMonitoring;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
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

    @Bean
    Leases leases(MongoTemplate mongo, Clock clock, MonitoringProperties properties) {
        return new Leases(mongo, clock, properties.lease());
    }

    /** {@code liftoff.monitoring.scheduler-enabled=false} stops the ticker (tests drive time themselves). */
    @Bean
    EvaluationScheduler evaluationScheduler(MongoTemplate mongo, MonitoringService service,
            MonitoringProperties properties, Clock clock,
            @Value("${liftoff.monitoring.scheduler-enabled:true}") boolean tickerEnabled) {
        return new EvaluationScheduler(mongo, service, properties, clock, tickerEnabled);
    }

    /**
     * The indexes a real MongoDB uses for the scheduler's and the relay's queries (the embedded store ignores
     * non-unique indexes; samples and leases are read by {@code _id}).
     */
    @Bean
    ApplicationRunner monitoringIndexes(MongoTemplate mongo) {
        return args -> {
            mongo.indexOps(ReleaseMonitoring.class).createIndex(new Index().on("nextDueAt", Sort.Direction.ASC)
                    .named("next_due"));
            // outbox_due (partial: documents with events to relay) is the outbox relay's own (OutboxRelay.createIndexes)
            mongo.indexOps(ReleaseMonitoring.class).createIndex(new Index().on("product", Sort.Direction.ASC)
                    .on("status", Sort.Direction.ASC).named("product_status"));
        };
    }
}
