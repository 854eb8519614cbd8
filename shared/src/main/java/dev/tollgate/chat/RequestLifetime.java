package dev.tollgate.chat;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.upstream.UpstreamSettings;
import java.time.Duration;
import java.util.Map;

/**
 * How long a chat request can live, from its settings, so that start-up can refuse settings under which a request
 * outlives its hold (the reconciler would then close the hold of a request that is still running) or its Lambda
 * function (which would stop a stream before it settles).
 */
public final class RequestLifetime {

    private RequestLifetime() {
    }

    /**
     * The longest a request for any chat model of {@code catalog} can take, settlement included: each model of its
     * route tried with all its retries, the buffered answer's whole timeout, or the stream's maximum duration.
     */
    public static Duration worstCase(Catalog catalog, Map<String, UpstreamSettings> upstreams, StreamSettings stream) {
        Duration worst = stream.maxDuration();
        for (ModelEntry model : catalog.models()) {
            if (!model.supports("chat")) {
                continue;
            }
            Duration beforeFirstByte = Duration.ZERO;
            Duration buffered = Duration.ZERO;
            for (String id : routeOf(model)) {
                UpstreamSettings s = catalog.find(id).map(m -> upstreams.get(m.upstream())).orElse(null);
                if (s == null) {
                    continue;
                }
                Duration attempt = s.connectTimeout().plus(s.firstByteTimeout());
                // the pause doubles before each further retry: backoff × (2^retries − 1) in all
                Duration pauses = s.retryBackoff().multipliedBy((1L << Math.min(s.maxRetries(), 20)) - 1);
                Duration retries = attempt.multipliedBy(s.maxRetries()).plus(pauses);
                beforeFirstByte = beforeFirstByte.plus(retries).plus(attempt);
                buffered = buffered.plus(retries).plus(s.connectTimeout()).plus(s.requestTimeout());
            }
            worst = max(worst, max(beforeFirstByte, buffered));
        }
        return worst.plus(stream.settleMargin());
    }

    /**
     * @param functionTimeout the Lambda function's timeout, or {@code null} off Lambda
     * @throws IllegalStateException naming the settings to change
     */
    public static void check(Duration holdTtl, Duration functionTimeout, Catalog catalog,
                             Map<String, UpstreamSettings> upstreams, StreamSettings stream) {
        Duration worst = worstCase(catalog, upstreams, stream);
        if (holdTtl.compareTo(worst) <= 0) {
            throw new IllegalStateException("tollgate.hold-ttl (" + holdTtl + ") must be longer than the longest a chat "
                    + "request can take with these settings (" + worst + ": upstream timeouts and retries of each model's "
                    + "route, tollgate.stream.max-duration, tollgate.stream.settle-margin). Otherwise the reconciler "
                    + "could close the hold of a request that is still running. Raise hold-ttl or lower the timeouts.");
        }
        if (functionTimeout != null
                && functionTimeout.compareTo(stream.maxDuration().plus(stream.settleMargin())) <= 0) {
            throw new IllegalStateException("tollgate.stream.max-duration (" + stream.maxDuration() + ") plus "
                    + "tollgate.stream.settle-margin (" + stream.settleMargin() + ") must be shorter than the function's "
                    + "timeout (" + functionTimeout + "), so a stream ends and settles before Lambda stops the function.");
        }
    }

    private static Iterable<String> routeOf(ModelEntry model) {
        java.util.List<String> route = new java.util.ArrayList<>();
        route.add(model.id());
        route.addAll(model.fallbacks());
        return route;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
