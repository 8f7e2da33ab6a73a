package io.liftoff.gateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Token validation at the edge: issuer, RS256 signature (JWK set, or a fixed public key), expiry and audience (any
 * Liftoff audience, see {@link TokenProperties}), realm roles as authorities. Tuned for throughput: no security
 * context is stored, no request is saved, so no web session is ever created; the bearer token is read without a
 * regular expression; validated tokens are cached for their remaining lifetime. The Authorization header goes to the
 * services unchanged and they validate the token again.
 *
 * <p>Open without a token: everything outside {@code /api/**} (health, info, metrics, the API documentation).
 * {@code /api/events} is for the platform's services only (role {@code service}). Every other {@code /api/**} call
 * needs a valid token ({@link ApiAccess}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ TokenProperties.class, IssuerProperties.class })
class GatewaySecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewaySecurityConfiguration.class);

    /** A token naming an unknown key makes the gateway fetch the issuer's keys again at most this often. */
    static final Duration JWK_SET_COOLDOWN = Duration.ofSeconds(30);

    /**
     * Spring Security's filters, authentications and authorizations are not wrapped in observations of their own, as
     * in the services (common's LiftoffSecurityAutoConfiguration): the HTTP server observation already times and
     * traces every request. The wrapping was about 5 % of the event loop's CPU samples at one connection (a profile
     * of 2026-12-04: the filter-chain decorator's phases and the authorization manager's observation).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http, TokenProperties tokens,
            IssuerProperties issuer) {
        if (tokens.benchmarkOnlySkipValidation()) {
            log.error("*** liftoff.gateway.token.benchmark-only-skip-validation=true: THIS GATEWAY CHECKS NO TOKEN. "
                    + "Benchmark use only; never deploy it like this. ***");
            return http.securityMatcher(exchange -> ServerWebExchangeMatcher.MatchResult.notMatch()).build();
        }
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();
        ReactiveAuthenticationManager authentication = new CachingAuthenticationManager(
                jwtAuthenticationManager(decoder(issuer, tokens.audiences())), tokens.cacheSize(), Clock.systemUTC());
        return http.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                // SecurityHeadersWebFilter and the CORS filter of edge/ run before this chain, for every answer.
                .headers(ServerHttpSecurity.HeaderSpec::disable)
                .authorizeExchange(exchanges -> exchanges.anyExchange().access(new ApiAccess()))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenConverter(new BearerTokenConverter())
                        .jwt(jwt -> jwt.authenticationManager(authentication))
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .build();
    }

    static ReactiveAuthenticationManager jwtAuthenticationManager(ReactiveJwtDecoder decoder) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new RealmRoles());
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder);
        manager.setJwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(converter));
        return manager;
    }

    static ReactiveJwtDecoder decoder(IssuerProperties issuer, List<String> audiences) {
        NimbusReactiveJwtDecoder decoder = issuer.publicKeyLocation() != null
                ? NimbusReactiveJwtDecoder.withPublicKey(readPublicKey(issuer))
                        .signatureAlgorithm(SignatureAlgorithm.RS256).build()
                : NimbusReactiveJwtDecoder.withJwkSource(new CooldownJwkSource(WebClient.create(),
                        issuer.effectiveJwkSetUri(), JWK_SET_COOLDOWN, Clock.systemUTC()))
                        .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
                aud -> aud != null && aud.stream().anyMatch(audiences::contains));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer.issuerUri()), audience));
        return decoder;
    }

    private static RSAPublicKey readPublicKey(IssuerProperties issuer) {
        try (InputStream in = issuer.publicKeyLocation().getInputStream()) {
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
