package dev.tollgate.chat;

import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;

/** Which refusals of a hold afford mode may answer by lowering the output bound again. */
final class Affordability {

    private Affordability() {
    }

    /**
     * The balance or key budget (403 {@code insufficient_quota}, but not debt, which no bound fixes) or a spend window
     * (429 with {@code x-tollgate-window}; a per-minute limit has none) could not cover the hold.
     */
    static boolean moneyRefusal(ApiException refused) {
        if (refused instanceof AccountInDebtException) {
            return false;
        }
        return refused.code() == ErrorCode.INSUFFICIENT_QUOTA
                || (refused.code() == ErrorCode.RATE_LIMIT_EXCEEDED && refused.headers().containsKey("x-tollgate-window"));
    }
}
