package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything under {@code tollgate.*}: the one place configuration (and so the environment, through
 * Micronaut's TOLLGATE_* mapping) is read. Defaults live in {@code application.yml}; the README's
 * configuration table lists each property.
 */
@ConfigurationProperties("tollgate")
public class TollgateConfig {

    private Duration keyCacheTtl = Duration.ofSeconds(10);
    private Duration accountCacheTtl = Duration.ofSeconds(1);
    private Duration holdTtl = Duration.ofMinutes(20);
    private Duration reconcileEvery = Duration.ofMinutes(1);
    private String topUpHint = "Top up with POST /v1/billing/checkout.";
    private List<Path> catalogFiles = new ArrayList<>();
    private Duration functionTimeout;
    private String publicBaseUrl;
    private boolean logFreeRequests = true;

    public Duration getKeyCacheTtl() {
        return keyCacheTtl;
    }

    public void setKeyCacheTtl(Duration keyCacheTtl) {
        this.keyCacheTtl = keyCacheTtl;
    }

    /** How long a free request may rely on this instance's last view of its account (balance header, debt). */
    public Duration getAccountCacheTtl() {
        return accountCacheTtl;
    }

    public void setAccountCacheTtl(Duration accountCacheTtl) {
        this.accountCacheTtl = accountCacheTtl;
    }

    /**
     * Whether requests on free models get request log entries (written in batches with their usage counters, one
     * DynamoDB write unit each); without them a free request's {@code x-request-id} cannot be looked up.
     */
    public boolean isLogFreeRequests() {
        return logFreeRequests;
    }

    public void setLogFreeRequests(boolean logFreeRequests) {
        this.logFreeRequests = logFreeRequests;
    }

    public Duration getHoldTtl() {
        return holdTtl;
    }

    public void setHoldTtl(Duration holdTtl) {
        this.holdTtl = holdTtl;
    }

    public Duration getReconcileEvery() {
        return reconcileEvery;
    }

    public void setReconcileEvery(Duration reconcileEvery) {
        this.reconcileEvery = reconcileEvery;
    }

    public String getTopUpHint() {
        return topUpHint;
    }

    public void setTopUpHint(String topUpHint) {
        this.topUpHint = topUpHint;
    }

    /**
     * The Lambda function's timeout (the stack sets {@code TOLLGATE_FUNCTION_TIMEOUT} on the chat function), or
     * null off Lambda: start-up refuses a stream deadline that would not leave time to settle before it.
     */
    public Duration getFunctionTimeout() {
        return functionTimeout;
    }

    public void setFunctionTimeout(Duration functionTimeout) {
        this.functionTimeout = functionTimeout;
    }

    /**
     * This deployment's base URL without {@code /v1}, e.g. {@code https://api.example.com}, for the console's
     * snippets and Checkout's return URLs; null: derived from each request.
     */
    public String getPublicBaseUrl() {
        return publicBaseUrl;
    }

    public void setPublicBaseUrl(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    public List<Path> getCatalogFiles() {
        return catalogFiles;
    }

    public void setCatalogFiles(List<Path> catalogFiles) {
        this.catalogFiles = catalogFiles;
    }
}
