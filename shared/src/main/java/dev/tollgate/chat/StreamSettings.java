package dev.tollgate.chat;

import java.time.Duration;

/**
 * Stream timing.
 *
 * @param keepAlive   send an SSE comment when nothing was sent for this long. API Gateway closes a
 *                    streamed response after 5 minutes of silence and many proxies after 60 s, so the
 *                    default is 15 s.
 * @param maxDuration the longest a stream may run (Lambda's 15-minute limit bounds it on AWS)
 */
public record StreamSettings(Duration keepAlive, Duration maxDuration) {

    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(15), Duration.ofMinutes(14));
    }
}
