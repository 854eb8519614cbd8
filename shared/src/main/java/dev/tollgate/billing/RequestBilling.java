package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds and settles the money of one request: reserve the maximum cost before the upstream is called,
 * settle the actual cost afterwards. Shared by chat completions and embeddings.
 */
public final class RequestBilling {

    private final BalanceStore store;
    private final Clock clock;
    private final Duration holdTtl;
    private final String topUpHint;

    /**
     * @param holdTtl   how long a hold lives before the reconciler may release it: the longest request
     *                  duration plus a margin
     * @param topUpHint where the 403 message sends the user to add credit
     */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint) {
        this.store = store;
        this.clock = clock;
        this.holdTtl = holdTtl;
        this.topUpHint = topUpHint;
    }

    /** Reserves {@code maxCost} for the request, or throws 403 {@code insufficient_quota} saying what is left. */
    public Reservation reserve(ApiKey key, String model, String requestId, Money maxCost) {
        Instant now = clock.instant();
        if (maxCost.isZero()) {
            return new Reservation(requestId, key, null, now);
        }
        Hold hold = new Hold(requestId, key.accountId(), key.keyId(), key.secretHash(), key.budget() != null, maxCost, model,
                now, now.plus(holdTtl));
        try {
            store.reserve(hold);
        } catch (InsufficientFundsException e) {
            throw insufficient(e, key, maxCost);
        }
        return new Reservation(requestId, key, hold, now);
    }

    /** Charges the actual cost of {@code usage} at {@code pricing} and closes the reservation, exactly once. */
    public Settlement settle(Reservation reservation, String servedModel, ModelPricing pricing, TokenUsage usage, String status) {
        Instant now = clock.instant();
        Money cost = pricing.cost(usage.promptTokens(), usage.completionTokens());
        ApiKey key = reservation.key();
        Charge charge = new Charge(reservation.requestId(), key.accountId(), key.keyId(), servedModel, usage, cost,
                status, Duration.between(reservation.startedAt(), now).toMillis(), now);
        return reservation.held() ? store.settle(reservation.hold(), charge) : store.record(charge);
    }

    /** The account's current balance (open holds already taken out). */
    public Money balance(String accountId) {
        return store.balance(accountId).orElse(Money.ZERO);
    }

    private ApiException insufficient(InsufficientFundsException e, ApiKey key, Money maxCost) {
        String message = switch (e.limit()) {
            case ACCOUNT_BALANCE -> "Insufficient balance: " + e.available().display() + " left, this request may cost up to "
                    + maxCost.display() + ". " + topUpHint + " Or lower max_tokens to reduce the amount reserved.";
            case KEY_BUDGET -> "This API key's budget is used up: " + e.available().display() + " of its "
                    + key.budget().display() + " budget left, this request may cost up to " + maxCost.display()
                    + ". Raise the key's budget with a management key (PATCH /v1/keys/" + key.keyId()
                    + ") or lower max_tokens.";
        };
        return new ApiException(ErrorCode.INSUFFICIENT_QUOTA, message);
    }
}
