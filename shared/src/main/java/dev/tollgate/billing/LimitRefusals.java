package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.windows.CreditHeaders;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.SpendWindows;
import dev.tollgate.windows.WindowExceededException;
import dev.tollgate.windows.WindowUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 429 {@code rate_limit_exceeded} answers of a full spend window or a per-minute limit: the message names the
 * window and when it resets, {@code Retry-After} says how long in whole seconds, {@code x-tollgate-window} names the
 * window, and the credit headers show the windows' state. A 429, not a 403, because waiting fixes it: the SDKs back
 * off and retry instead of failing hard.
 */
final class LimitRefusals {

    private final Clock clock;

    LimitRefusals(Clock clock) {
        this.clock = clock;
    }

    ApiException window(WindowExceededException e, ApiKey key, Money maxCost, List<WindowUsage> now) {
        SpendWindow window = e.window();
        long retryAfter = seconds(e.reset());
        String state = e.used() == null
                ? "this request may cost up to " + maxCost.display() + ", more than its whole limit of "
                        + window.limit().display() + ". Lower max_tokens"
                : window.limit().minus(e.used()).max(Money.ZERO).display() + " of its " + window.limit().display()
                        + " is left and this request may cost up to " + maxCost.display()
                        + ". Retry after the reset, or lower max_tokens";
        String raise = window.scope() == SpendWindow.Scope.KEY
                ? ", or raise the key's limits with a management key (PATCH /v1/keys/" + key.keyId() + ")."
                : ", or ask the operator for a larger plan.";
        String message = "Spend limit reached: " + window.describe() + " resets at " + CreditHeaders.reset(e.reset())
                + " (in " + retryAfter + " s); " + state + raise;
        Map<String, String> headers = new LinkedHashMap<>(CreditHeaders.of(SpendWindows.tightest(now)));
        headers.put("Retry-After", Long.toString(retryAfter));
        headers.put("x-tollgate-window", window.window().wire());
        return new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, message, null, headers, null);
    }

    ApiException rate(RateExceededException e, ApiKey key) {
        long retryAfter = seconds(e.reset());
        String what = e.limit() == RateExceededException.Limit.REQUESTS ? "requests" : "tokens";
        String message = "Rate limit reached for API key " + key.keyId() + ": " + e.allowed() + " " + what
                + " per minute, counted across all instances. Retry after " + retryAfter + " s, or ask an account manager "
                + "to raise the key's " + (what.equals("requests") ? "rpm_limit" : "tpm_limit") + " (PATCH /v1/keys/"
                + key.keyId() + ")" + (what.equals("tokens") ? " or lower max_tokens." : ".");
        return new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, message, null,
                Map.of("Retry-After", Long.toString(retryAfter)), null);
    }

    /** Whole seconds until {@code at}, at least one: {@code Retry-After: 0} invites a retry that fails again. */
    private long seconds(Instant at) {
        long millis = Duration.between(clock.instant(), at).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
