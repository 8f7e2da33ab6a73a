package io.liftoff.common.store;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process MongoDB wire-protocol server used when no {@code spring.mongodb.uri} is configured.
 *
 * @param enabled   start the embedded server when no MongoDB URI is set (default true)
 * @param backend   {@code h2} keeps data in a file under {@code dataDir}; {@code memory} keeps nothing (tests)
 * @param dataDir   the folder of the H2 file; defaults to {@code <liftoff.data-dir>/<application name>}
 * @param database  the database name; defaults to the application name
 */
@ConfigurationProperties("liftoff.store.embedded")
public record EmbeddedMongoProperties(@DefaultValue("true") boolean enabled, @DefaultValue("h2") Backend backend,
        Path dataDir, String database) {

    public enum Backend {
        H2, MEMORY
    }
}
