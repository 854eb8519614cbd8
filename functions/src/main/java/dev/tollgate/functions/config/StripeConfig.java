package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code tollgate.stripe.*}: Stripe Checkout top-ups and the webhook. The secrets come from the environment
 * locally ({@code TOLLGATE_STRIPE_API_KEY}, {@code TOLLGATE_STRIPE_WEBHOOK_SECRET}) and from Secrets Manager on
 * AWS (the secrets loader maps them onto these same properties). Without an API key checkouts answer 503;
 * without a webhook secret every webhook does, so Stripe keeps the events until it is set.
 */
@ConfigurationProperties("tollgate.stripe")
public class StripeConfig {

    private String apiKey;
    private String webhookSecret;
    private String apiBase = "https://api.stripe.com";
    /** Unset: the console's billing page on this deployment's base URL (tollgate.public-base-url, or the request's). */
    private String successUrl;
    private String cancelUrl;
    private String minTopUp = "5.00";
    private String maxTopUp = "1000.00";
    private Duration webhookTolerance = Duration.ofMinutes(5);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(20);

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getWebhookSecret() {
        return webhookSecret;
    }

    public void setWebhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
    }

    public String getApiBase() {
        return apiBase;
    }

    public void setApiBase(String apiBase) {
        this.apiBase = apiBase;
    }

    public String getSuccessUrl() {
        return successUrl;
    }

    public void setSuccessUrl(String successUrl) {
        this.successUrl = successUrl;
    }

    public String getCancelUrl() {
        return cancelUrl;
    }

    public void setCancelUrl(String cancelUrl) {
        this.cancelUrl = cancelUrl;
    }

    public String getMinTopUp() {
        return minTopUp;
    }

    public void setMinTopUp(String minTopUp) {
        this.minTopUp = minTopUp;
    }

    public String getMaxTopUp() {
        return maxTopUp;
    }

    public void setMaxTopUp(String maxTopUp) {
        this.maxTopUp = maxTopUp;
    }

    public Duration getWebhookTolerance() {
        return webhookTolerance;
    }

    public void setWebhookTolerance(Duration webhookTolerance) {
        this.webhookTolerance = webhookTolerance;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }
}
