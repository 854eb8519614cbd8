package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** {@code tollgate.admin.token}: the operator token for /admin. Unset means the admin API is closed. */
@ConfigurationProperties("tollgate.admin")
public class AdminConfig {

    private String token;

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }
}
