package io.liftoff.common.security;

import java.util.Optional;

/** The access token a service sends when it calls another service; empty when none is configured. */
@FunctionalInterface
public interface ServiceTokenSource {

    Optional<String> token();

    static ServiceTokenSource none() {
        return Optional::empty;
    }
}
