package io.liftoff.common.problem;

import jakarta.validation.Validator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Problem responses everywhere: the advice, a writer for filters, and the request body size limit (413); and the
 * response buffer size ({@link ResponseBufferFilter}).
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class)
@Import(ProblemHandlerAdvice.class)
public class ProblemAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProblemWriter problemWriter(JsonMapper jsonMapper) {
        return new ProblemWriter(jsonMapper);
    }

    @Bean
    @ConditionalOnMissingBean
    JsonBodyReader jsonBodyReader(JsonMapper jsonMapper, Validator validator) {
        return new JsonBodyReader(jsonMapper, validator);
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ProblemWriter problemWriter,
            Environment environment) {
        DataSize max = environment.getProperty("liftoff.http.max-body-size", DataSize.class, DataSize.ofMegabytes(1));
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(problemWriter, max));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ResponseBufferFilter> responseBufferFilter(Environment environment) {
        DataSize size = environment.getProperty("liftoff.http.response-buffer-size", DataSize.class,
                DataSize.ofKilobytes(128));
        FilterRegistrationBean<ResponseBufferFilter> registration = new FilterRegistrationBean<>(
                new ResponseBufferFilter(size));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
