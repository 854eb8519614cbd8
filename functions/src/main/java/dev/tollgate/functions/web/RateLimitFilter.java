package dev.tollgate.functions.web;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.RateLimiter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies a key's {@code rpm_limit} to the model endpoints (those marked {@link RateLimited}, whatever the path's
 * spelling) before anything is reserved or sent
 * upstream: over the limit is 429 {@code rate_limit_exceeded} with {@code Retry-After} (whole seconds)
 * and OpenAI's {@code x-ratelimit-*-requests} headers, which limited keys also get on every answer.
 *
 * <p><b>Per instance, then across instances:</b> the counters here live in this process ({@link RateLimiter}), so they
 * stop a burst on one instance before it costs a DynamoDB write and give the {@code x-ratelimit-*} headers; the limit
 * across all instances is the per-minute counter that billing keeps in DynamoDB (in the reserve transaction of a paid
 * request, one conditional write for a free one), which refuses with the same 429.
 *
 * <p>Ordering: Micronaut runs request filters by ascending order. {@link AuthFilter} sits in the
 * security phase and this filter just after it, so it finds the key AuthFilter stored in the request
 * (a filter bean with no order at all would run last, {@code Integer.MAX_VALUE}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@RateLimited
public class RateLimitFilter implements Ordered {

    static final String DECISION = "tollgate.rate-limit";

    private final RateLimiter limiter;

    public RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<byte[]> limit(HttpRequest<?> request) {
        ApiKey key = RequestAttributes.get(request, AuthFilter.KEY, ApiKey.class).orElse(null);
        // A dry run moves nothing and calls nothing: quoting before each request must not halve a key's rate.
        if (key == null || key.rpmLimit() == null || SpendParams.asksForQuote(request)) {
            return null;
        }
        RateLimiter.Decision decision = limiter.acquire(key.keyId(), key.rpmLimit());
        request.setAttribute(DECISION, decision);
        if (decision.allowed()) {
            return null;
        }
        long retryAfter = wholeSeconds(decision.retryAfter());
        Map<String, String> headers = headers(decision);
        headers.put("Retry-After", Long.toString(retryAfter));
        return Json.error(new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit reached for API key " + key.keyId()
                + ": " + decision.limit() + " requests per minute. Retry after " + retryAfter + " s, or ask an account "
                + "manager to raise the key's rpm_limit (PATCH /v1/keys/" + key.keyId() + ").", null, headers, null));
    }

    /** The same headers on answers that got through, so clients can pace themselves before hitting the limit. */
    @ResponseFilter
    public void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        RequestAttributes.get(request, DECISION, RateLimiter.Decision.class)
                .filter(RateLimiter.Decision::allowed)
                .ifPresent(decision -> headers(decision).forEach(response.getHeaders()::set));
    }

    private static Map<String, String> headers(RateLimiter.Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-limit-requests", Integer.toString(decision.limit()));
        headers.put("x-ratelimit-remaining-requests", Integer.toString(decision.remaining()));
        headers.put("x-ratelimit-reset-requests", openAiDuration(decision.reset()));
        return headers;
    }

    /** At least one second: {@code Retry-After: 0} would invite an immediate retry that fails again. */
    static long wholeSeconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /** OpenAI's format for reset times, e.g. {@code 120ms}, {@code 17.5s}, {@code 1m0s}. */
    static String openAiDuration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        String seconds = java.math.BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros().toPlainString();
        return minutes == 0 ? seconds + "s" : minutes + "m" + seconds + "s";
    }
}
