package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import java.util.List;
import java.util.Map;

/**
 * The account has used a model's daily token quota ({@link FreeQuota}). A 429 {@code rate_limit_exceeded} with
 * {@code Retry-After} set to midnight UTC, when the quota starts again; the message names the quota and the
 * paid models the caller can use meanwhile.
 */
public final class DailyQuotaExceededException extends ApiException {

    private final String model;
    private final long quota;
    private final long used;
    private final long retryAfterSeconds;

    /**
     * @param used              the account's tokens of the model today, as counted when it was refused
     * @param retryAfterSeconds until midnight UTC, at least 1
     * @param alternatives      paid models that serve the same purpose, in catalog order (may be empty)
     */
    public DailyQuotaExceededException(String model, boolean free, long quota, long used, long retryAfterSeconds,
                                       List<String> alternatives) {
        super(ErrorCode.RATE_LIMIT_EXCEEDED, message(model, free, quota, used, retryAfterSeconds, alternatives), "model",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)), null);
        this.model = model;
        this.quota = quota;
        this.used = used;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String model() {
        return model;
    }

    public long quota() {
        return quota;
    }

    public long used() {
        return used;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static String message(String model, boolean free, long quota, long used, long retryAfterSeconds,
                                  List<String> alternatives) {
        String meanwhile = alternatives.isEmpty() ? ""
                : " Meanwhile use a paid model, billed per token from your balance: " + String.join(", ", alternatives)
                + " (prices at GET /v1/models).";
        return "Daily quota reached for " + (free ? "the free model " : "the model ") + model + ": " + quota
                + " tokens (prompt plus completion) per account per UTC day, and this account has used " + used
                + " today. It starts again at 00:00 UTC, in " + readable(retryAfterSeconds) + "." + meanwhile;
    }

    /** {@code 5 h 12 min}, {@code 12 min}, {@code 40 s}. */
    static String readable(long seconds) {
        long hours = seconds / 3600;
        long minutes = (seconds % 3600 + 59) / 60;
        if (minutes == 60) {
            hours++;
            minutes = 0;
        }
        if (hours > 0) {
            return hours + " h" + (minutes > 0 ? " " + minutes + " min" : "");
        }
        return seconds < 60 ? seconds + " s" : minutes + " min";
    }
}
