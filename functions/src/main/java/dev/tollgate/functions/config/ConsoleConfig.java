package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tollgate.console.*}: the web console's session secret (Secrets Manager on AWS, generated into the data
 * folder locally), how long sessions last, and where the billing form may send the browser (Stripe Checkout).
 */
@ConfigurationProperties("tollgate.console")
public class ConsoleConfig {

    private String sessionSecret;
    private Duration idleTimeout = Duration.ofMinutes(30);
    private Duration absoluteTimeout = Duration.ofHours(8);
    private List<String> checkoutOrigins = new ArrayList<>(List.of("https://checkout.stripe.com"));

    public String getSessionSecret() {
        return sessionSecret;
    }

    public void setSessionSecret(String sessionSecret) {
        this.sessionSecret = sessionSecret;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getAbsoluteTimeout() {
        return absoluteTimeout;
    }

    public void setAbsoluteTimeout(Duration absoluteTimeout) {
        this.absoluteTimeout = absoluteTimeout;
    }

    public List<String> getCheckoutOrigins() {
        return checkoutOrigins;
    }

    public void setCheckoutOrigins(List<String> checkoutOrigins) {
        this.checkoutOrigins = checkoutOrigins;
    }
}
