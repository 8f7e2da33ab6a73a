package io.liftoff.gateway.edge;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What the gateway enforces on every request and answer.
 *
 * @param maxBodySize largest request body accepted (413 above it), counted on the wire when there is no
 *                    Content-Length
 * @param cors        browser origins allowed to call the API; none by default
 */
@ConfigurationProperties("liftoff.gateway")
public record EdgeProperties(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue Cors cors) {

    /**
     * @param allowedOrigins exact origins ({@code https://liftoff.example.com}); empty: no cross-origin call allowed
     * @param maxAge         how long a browser may cache a preflight answer, in seconds
     */
    public record Cors(@DefaultValue List<String> allowedOrigins, @DefaultValue("3600") long maxAge) {
    }
}
