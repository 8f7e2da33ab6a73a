package io.liftoff.common.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import io.liftoff.common.problem.ProblemWriter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.NullRequestCache;

/**
 * Resource-server security shared by every Liftoff service: tokens validated here (issuer, RS256 signature, expiry,
 * audience), Keycloak realm roles as authorities, stateless, no session, no saved requests, problem responses for 401
 * and 403. Endpoints declare who may call them with {@code @PreAuthorize}; health and metrics are open for probes.
 */
@AutoConfiguration
@EnableWebSecurity
@EnableMethodSecurity
@EnableConfigurationProperties(LiftoffSecurityProperties.class)
public class LiftoffSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(LiftoffSecurityProperties properties, Environment environment) {
        NimbusJwtDecoder decoder = properties.publicKeyLocation() != null
                ? NimbusJwtDecoder.withPublicKey(readPublicKey(properties)).signatureAlgorithm(SignatureAlgorithm.RS256)
                        .build()
                : NimbusJwtDecoder.withJwkSetUri(properties.effectiveJwkSetUri())
                        .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        String audience = properties.audience() != null ? properties.audience()
                : environment.getProperty("spring.application.name");
        OAuth2TokenValidator<Jwt> audienceValidator = new JwtClaimValidator<List<String>>("aud",
                aud -> aud != null && aud.contains(audience));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuerUri()), audienceValidator));
        return properties.tokenCacheSize() > 0
                ? new CachingJwtDecoder(decoder, properties.tokenCacheSize(), java.time.Clock.systemUTC())
                : decoder;
    }

    /**
     * Requests, authentications and authorizations are not wrapped in observations of their own: the HTTP server
     * observation already times and traces every request, and wrapping each security filter in an observation was a
     * visible share of the CPU profile of checklist-service's benchmark.
     */
    @Bean
    @ConditionalOnMissingBean
    org.springframework.security.config.observation.SecurityObservationSettings securityObservationSettings() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    /**
     * The bearer token is read from the header without a regular expression ({@link HeaderBearerTokenResolver}); as a
     * bean, every resource-server chain of a service uses it, monitoring-service's own included.
     */
    @Bean
    @ConditionalOnMissingBean
    org.springframework.security.oauth2.server.resource.web.BearerTokenResolver bearerTokenResolver() {
        return new HeaderBearerTokenResolver();
    }

    /**
     * Spring Security's strict firewall, with the header checks done without regular expressions
     * ({@link HeaderCharacters}); the security configuration picks up this bean.
     */
    @Bean
    @ConditionalOnMissingBean(org.springframework.security.web.firewall.HttpFirewall.class)
    static org.springframework.security.web.firewall.HttpFirewall httpFirewall() {
        return HeaderCharacters.firewall();
    }

    @Bean
    @ConditionalOnMissingBean
    ProblemSecurityHandlers problemSecurityHandlers(ProblemWriter problemWriter) {
        return new ProblemSecurityHandlers(problemWriter);
    }

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain liftoffSecurityFilterChain(HttpSecurity http, ProblemSecurityHandlers handlers,
            JwtDecoder jwtDecoder) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus", "/error", "/api-docs/**")
                        .permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.authenticationManager(bearerAuthentication(jwtDecoder)))
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers));
        return http.build();
    }

    /**
     * Bearer tokens are authenticated by the JWT provider alone, with no authentication events: nothing listens for
     * them, and publishing one per request (Boot's default publisher) was a visible share of every request's
     * allocations. Refused tokens still answer 401 through the entry point.
     */
    static org.springframework.security.authentication.AuthenticationManager bearerAuthentication(
            JwtDecoder jwtDecoder) {
        var provider = new org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider(
                jwtDecoder);
        provider.setJwtAuthenticationConverter(new RealmRolesAuthenticationConverter());
        return new org.springframework.security.authentication.ProviderManager(provider);
    }

    private static RSAPublicKey readPublicKey(LiftoffSecurityProperties properties) {
        try (InputStream in = properties.publicKeyLocation().getInputStream()) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read liftoff.security.public-key-location", ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("liftoff.security.public-key-location is not an RSA public key", ex);
        }
    }
}
