package io.liftoff.gateway.docs;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The API documentation index at {@code /docs/index.html}: one entry per service whose contract was built into the
 * gateway ({@code static/api-docs/<service>.yaml} and the html2 pages under {@code static/docs/<service>/}), both
 * copied from the services' sources at build time. Services without a contract yet are simply not listed.
 */
@Configuration(proxyBeanMethods = false)
class DocsConfiguration {

    static final List<String> SERVICES = List.of("checklist-service", "signoff-service", "monitoring-service",
            "notification-service");

    @Bean
    RouterFunction<ServerResponse> docsIndex() {
        String page = indexPage(SERVICES.stream()
                .filter(service -> new ClassPathResource("static/api-docs/" + service + ".yaml").exists())
                .toList(), service -> new ClassPathResource("static/docs/" + service + "/index.html").exists());
        return RouterFunctions.route(RequestPredicates.GET("/docs").or(RequestPredicates.GET("/docs/"))
                .or(RequestPredicates.GET("/docs/index.html")),
                request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page));
    }

    static String indexPage(List<String> contracts, java.util.function.Predicate<String> hasHtml) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Liftoff API documentation</title></head>
                <body>
                <h1>Liftoff API documentation</h1>
                <p>Every call goes through the gateway with a bearer token from the liftoff realm.</p>
                <ul>
                """);
        for (String service : contracts) {
            html.append("<li>").append(service).append(": ");
            if (hasHtml.test(service)) {
                html.append("<a href=\"/docs/").append(service).append("/index.html\">reference</a>, ");
            }
            html.append("<a href=\"/api-docs/").append(service).append(".yaml\">OpenAPI contract</a></li>\n");
        }
        if (contracts.isEmpty()) {
            html.append("<li>No contract was built into this gateway.</li>\n");
        }
        return html.append("</ul>\n</body>\n</html>\n").toString();
    }
}
