package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code tollgate.server.*}: how long a client may take to send a request head, and how many connections may be
 * sending one at once. Micronaut's own timeouts are idle timeouts, reset by every byte, so a client that sends one
 * header byte every few seconds ("slowloris") held a connection for as long as it liked.
 */
@ConfigurationProperties("tollgate.server")
public class ServerConfig {

    private Duration headTimeout = Duration.ofSeconds(10);
    private int maxPendingHeads = 512;

    /** From a connection's accept, or the first byte of its next request, until the request head is complete. */
    public Duration getHeadTimeout() {
        return headTimeout;
    }

    public void setHeadTimeout(Duration headTimeout) {
        this.headTimeout = headTimeout;
    }

    /** Connections with an incomplete head beyond this many: the one waiting longest is closed. */
    public int getMaxPendingHeads() {
        return maxPendingHeads;
    }

    public void setMaxPendingHeads(int maxPendingHeads) {
        this.maxPendingHeads = maxPendingHeads;
    }
}
