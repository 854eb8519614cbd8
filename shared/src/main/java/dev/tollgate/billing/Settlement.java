package dev.tollgate.billing;

import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowUsage;
import java.util.List;

/**
 * The result of settling a request.
 *
 * @param charged       what was actually taken (the cost, or less when the balance or budget ran out)
 * @param shortfall     cost above the hold that the balance could not cover: it became the account's debt
 * @param balance       the account balance after settlement; {@code null} when it is not known (the settlement was
 *                      deferred to the reconciler, or the read after it failed)
 * @param alreadySettled true when this request had been settled before: nothing changed this time
 * @param deferred      true when it could not be written now and was recorded on the hold for the reconciler
 * @param windows       the spend windows that apply to the request (the tightest per window), read after the
 *                      settlement; empty when none apply or they could not be read
 */
public record Settlement(Money charged, Money shortfall, Money balance, boolean alreadySettled, boolean deferred,
                         List<WindowUsage> windows) {

    public Settlement {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    public Settlement(Money charged, Money shortfall, Money balance, boolean alreadySettled, boolean deferred) {
        this(charged, shortfall, balance, alreadySettled, deferred, List.of());
    }

    public Settlement(Money charged, Money shortfall, Money balance, boolean alreadySettled) {
        this(charged, shortfall, balance, alreadySettled, false);
    }

    public Settlement withWindows(List<WindowUsage> windows) {
        return new Settlement(charged, shortfall, balance, alreadySettled, deferred, windows);
    }

    /**
     * A settlement that could not be written now: {@code cost} is recorded on the hold and the reconciler charges
     * it. The balance after it is not known yet.
     */
    public static Settlement deferred(Money cost) {
        return new Settlement(cost, Money.ZERO, null, false, true);
    }

    public boolean isDeferred() {
        return deferred;
    }
}
