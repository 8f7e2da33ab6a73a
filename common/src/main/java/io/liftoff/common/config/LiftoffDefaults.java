package io.liftoff.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code liftoff-defaults.properties} as the lowest-priority property source of every service: actuator exposure
 * and probes, trace-id log correlation, W3C propagation, no OTLP export. A service's own {@code application.yml} and
 * the environment override any of it.
 */
public class LiftoffDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            new PropertiesPropertySourceLoader()
                    .load("liftoff-defaults", new ClassPathResource("liftoff-defaults.properties"))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
