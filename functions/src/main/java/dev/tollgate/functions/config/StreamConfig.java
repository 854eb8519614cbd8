package dev.tollgate.functions.config;

import dev.tollgate.chat.StreamSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code tollgate.stream.*}: keep-alive interval, maximum stream duration (from the request's arrival), how often
 * a stream records its progress for the reconciler, the margin kept before a Lambda invocation's deadline to
 * settle, how long a shutdown lets streams finish, and how many streams one account may have open at once.
 */
@ConfigurationProperties("tollgate.stream")
public class StreamConfig {

    private Duration keepAlive = Duration.ofSeconds(15);
    private Duration maxDuration = Duration.ofMinutes(14);
    private Duration progressEvery = Duration.ofSeconds(1);
    private Duration settleMargin = Duration.ofSeconds(10);
    private Duration shutdownGrace = Duration.ofSeconds(20);
    private int maxOpenPerAccount = 20;
    private Duration slotLinger = Duration.ofSeconds(2);

    public StreamSettings toSettings() {
        return new StreamSettings(keepAlive, maxDuration, progressEvery, settleMargin);
    }

    public Duration getKeepAlive() {
        return keepAlive;
    }

    public void setKeepAlive(Duration keepAlive) {
        this.keepAlive = keepAlive;
    }

    public Duration getMaxDuration() {
        return maxDuration;
    }

    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    public Duration getProgressEvery() {
        return progressEvery;
    }

    public void setProgressEvery(Duration progressEvery) {
        this.progressEvery = progressEvery;
    }

    public Duration getSettleMargin() {
        return settleMargin;
    }

    public void setSettleMargin(Duration settleMargin) {
        this.settleMargin = settleMargin;
    }

    /** How long a stopping server lets open streams finish before it ends them by the stream policy. */
    public Duration getShutdownGrace() {
        return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * The most streams one account may have open at once, across all instances (0: no cap); one more is refused
     * with 429 {@code rate_limit_exceeded}, so one customer cannot take all of the upstreams' capacity.
     */
    public int getMaxOpenPerAccount() {
        return maxOpenPerAccount;
    }

    public void setMaxOpenPerAccount(int maxOpenPerAccount) {
        if (maxOpenPerAccount < 0) {
            throw new IllegalArgumentException("tollgate.stream.max-open-per-account must be 0 (no cap) or more, not "
                    + maxOpenPerAccount);
        }
        this.maxOpenPerAccount = maxOpenPerAccount;
    }

    /**
     * How long a stream slot freed on a long-running server is kept for the same account's next stream on this
     * instance (0: given back at once). Saves the two writes per stream of the cap on open streams; never on
     * Lambda, where a frozen instance would keep its slots. See {@code PooledStreamSlots}.
     */
    public Duration getSlotLinger() {
        return slotLinger;
    }

    public void setSlotLinger(Duration slotLinger) {
        if (slotLinger.isNegative()) {
            throw new IllegalArgumentException("tollgate.stream.slot-linger must be 0 or more, not " + slotLinger);
        }
        this.slotLinger = slotLinger;
    }
}
