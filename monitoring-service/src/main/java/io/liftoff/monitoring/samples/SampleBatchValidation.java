package io.liftoff.monitoring.samples;

import java.lang.annotation.ElementType;

import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;

import io.liftoff.monitoring.api.model.SampleBatch;

import org.springframework.boot.validation.autoconfigure.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bean validation does not descend into the samples of a batch: cascading into hundreds of elements cost about a
 * third of the ingestion time (Hibernate Validator tracks every element's path). {@link SampleIngestion} checks each
 * sample itself, in one pass, with the same problems; the batch's own constraints (present, not empty) still apply.
 */
@Configuration
class SampleBatchValidation {

    @Bean
    ValidationConfigurationCustomizer sampleBatchNotCascaded() {
        return configuration -> configuration.traversableResolver(new TraversableResolver() {
            @Override
            public boolean isReachable(Object traversableObject, Path.Node traversableProperty,
                    Class<?> rootBeanType, Path pathToTraversableObject, ElementType elementType) {
                return true;
            }

            @Override
            public boolean isCascadable(Object traversableObject, Path.Node traversableProperty,
                    Class<?> rootBeanType, Path pathToTraversableObject, ElementType elementType) {
                return !(traversableObject instanceof SampleBatch);
            }
        });
    }
}
