package dev.tollgate.functions.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** {@code tollgate.stream.*}: keep-alive interval and maximum stream duration. */
@ConfigurationProperties("tollgate.stream")
public class StreamConfig {

    private Duration keepAlive = Duration.ofSeconds(15);
    private Duration maxDuration = Duration.ofMinutes(14);

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
}
