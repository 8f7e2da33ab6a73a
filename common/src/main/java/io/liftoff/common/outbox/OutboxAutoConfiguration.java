package io.liftoff.common.outbox;

import java.time.Clock;

import io.liftoff.common.security.ClientCredentialsTokenSource;
import io.liftoff.common.security.ServiceClientProperties;
import io.liftoff.common.security.ServiceTokenSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The outbox relay and the service's own token for service-to-service calls. */
@AutoConfiguration(after = DataMongoAutoConfiguration.class)
@EnableConfigurationProperties({ OutboxProperties.class, ServiceClientProperties.class })
public class OutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    ServiceTokenSource serviceTokenSource(ServiceClientProperties properties, RestClient.Builder builder,
            Clock clock) {
        if (!properties.configured()) {
            return ServiceTokenSource.none();
        }
        return new ClientCredentialsTokenSource(builder.build(), properties.tokenUri(), properties.clientId(),
                properties.clientSecret(), clock);
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(OutboxProperties properties, RestClient.Builder builder,
            ServiceTokenSource tokens) {
        // Blocking HttpURLConnection with keep-alive: the relay's workers call one consumer at a time each, and this
        // client costs less CPU per call than the JDK's asynchronous HttpClient (checklist-service's benchmark).
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(properties.connectTimeout());
        factory.setReadTimeout(properties.readTimeout());
        return new HttpEventPublisher(builder.requestFactory(factory).build(), properties.consumerUrl(),
                properties.consumers(), properties.batch(), tokens);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "liftoff.outbox.enabled", matchIfMissing = true)
    OutboxRelay outboxRelay(MongoTemplate mongoTemplate, EventPublisher publisher,
            ObjectProvider<OutboxListener> listeners, ObjectProvider<MeterRegistry> meters,
            OutboxProperties properties, Clock clock) {
        OutboxRelay relay = new OutboxRelay(mongoTemplate, publisher, listeners.orderedStream().toList(), properties,
                clock);
        meters.ifAvailable(relay::bindMetrics);
        relay.createIndexes();
        return relay;
    }
}
