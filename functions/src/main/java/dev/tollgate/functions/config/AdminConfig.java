package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code tollgate.admin.*}: the operator token for /admin (unset means the admin API is closed) and, where the
 * token comes from Secrets Manager, how long an instance may use the value it read last ({@link AdminToken}).
 */
@ConfigurationProperties("tollgate.admin")
public class AdminConfig {

    /** Rotation in Secrets Manager reaches running instances within this. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(1);

    private String token;
    private Duration tokenTtl = DEFAULT_TOKEN_TTL;

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public Duration getTokenTtl() {
        return tokenTtl;
    }

    public void setTokenTtl(Duration tokenTtl) {
        this.tokenTtl = tokenTtl == null || tokenTtl.isNegative() ? DEFAULT_TOKEN_TTL : tokenTtl;
    }
}
