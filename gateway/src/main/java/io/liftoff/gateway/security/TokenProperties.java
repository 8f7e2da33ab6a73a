package io.liftoff.gateway.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway accepts access tokens.
 *
 * @param audiences                       a token is accepted when its {@code aud} holds any of these: the gateway's
 *                                        own audience and every service's (each service checks its own again)
 * @param cacheSize                       how many validated tokens are remembered (keyed by their SHA-256, each for
 *                                        its remaining lifetime)
 * @param benchmarkOnlySkipValidation     BENCHMARK ONLY, NEVER IN A DEPLOYMENT: when {@code true} the gateway checks
 *                                        no token at all and forwards every request. It exists so that
 *                                        {@code gateway/bench/run.sh} can measure what validation costs.
 */
@ConfigurationProperties("liftoff.gateway.token")
public record TokenProperties(
        @DefaultValue({ "liftoff-gateway", "checklist-service", "signoff-service", "monitoring-service",
                "notification-service" }) List<String> audiences,
        @DefaultValue("10000") int cacheSize,
        @DefaultValue("false") boolean benchmarkOnlySkipValidation) {
}
