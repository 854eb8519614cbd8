package dev.tollgate.chat;

import java.time.Duration;

/**
 * Stream timing.
 *
 * @param keepAlive     send an SSE comment when nothing was sent for this long. API Gateway closes a streamed
 *                      response after 5 minutes of silence and many proxies after 60 s, so the default is 15 s.
 * @param maxDuration   the longest a stream may run, counted from the request's arrival (Lambda's 15-minute limit
 *                      bounds it on AWS)
 * @param progressEvery how often a running stream records what it delivered on its hold, for the reconciler
 *                      should the process die: what it relayed in the last interval is what a crash can lose
 * @param settleMargin  how long before a known hard end (the Lambda invocation's deadline) a stream is ended, so
 *                      that it settles, retries included, before the function is stopped
 */
public record StreamSettings(Duration keepAlive, Duration maxDuration, Duration progressEvery, Duration settleMargin) {

    public StreamSettings(Duration keepAlive, Duration maxDuration) {
        this(keepAlive, maxDuration, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(15), Duration.ofMinutes(14));
    }
}
