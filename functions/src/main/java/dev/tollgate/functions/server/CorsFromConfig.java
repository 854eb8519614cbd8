package dev.tollgate.functions.server;

import dev.tollgate.functions.config.CorsConfig;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.cors.CorsOriginConfiguration;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code tollgate.cors.allowed-origins} into Micronaut's CORS configuration: off when the list is empty (the
 * default; Micronaut then also refuses other origins' requests to a server on localhost), otherwise those origins
 * exactly, never a wildcard. Preflights are answered by Micronaut's CORS filter before authentication, as browsers
 * send them without the Authorization header. Any request header is allowed (the OpenAI SDKs send several of their
 * own); the response headers a browser app needs are exposed; no cookies are involved, so no credentials.
 */
@Singleton
public class CorsFromConfig implements BeanCreatedEventListener<HttpServerConfiguration.CorsConfiguration> {

    /** Tollgate's own response headers (README, "POST /v1/chat/completions") and Retry-After of a 429/503. */
    static final List<String> EXPOSED = List.of("x-request-id", "x-tollgate-balance-usd", "x-tollgate-balance-micros",
            "x-tollgate-cost-usd", "x-tollgate-route", "x-tollgate-reasoning", "retry-after", "x-should-retry");

    private final CorsConfig config;

    public CorsFromConfig(CorsConfig config) {
        this.config = config;
    }

    @Override
    public HttpServerConfiguration.CorsConfiguration onCreated(BeanCreatedEvent<HttpServerConfiguration.CorsConfiguration> event) {
        HttpServerConfiguration.CorsConfiguration cors = event.getBean();
        if (config.getAllowedOrigins().isEmpty()) {
            return cors;
        }
        CorsOriginConfiguration origins = new CorsOriginConfiguration();
        origins.setAllowedOrigins(config.getAllowedOrigins());
        origins.setAllowedMethods(List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE));
        origins.setExposedHeaders(EXPOSED);
        origins.setAllowCredentials(false);
        origins.setMaxAge(600L);
        cors.setEnabled(true);
        cors.setConfigurations(Map.of("tollgate", origins));
        return cors;
    }
}
