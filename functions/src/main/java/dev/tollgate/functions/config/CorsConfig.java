package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.List;

/**
 * {@code tollgate.cors.allowed-origins} ({@code TOLLGATE_CORS_ALLOWED_ORIGINS}, comma-separated): the web origins
 * (scheme, host and port, e.g. {@code https://app.example.com}) whose pages may call the API from a browser. Empty,
 * the default, means no cross-origin calls: a browser app must then call through its own back end, which is where
 * an API key belongs anyway.
 */
@ConfigurationProperties("tollgate.cors")
public class CorsConfig {

    private List<String> allowedOrigins = List.of();

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
    }
}
