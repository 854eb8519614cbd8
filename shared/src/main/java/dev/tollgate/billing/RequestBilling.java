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
    private final UsageBatcher freeUsage;
    private final BalanceCache<BalanceStore.Funds> accountCache;

    /**
     * @param holdTtl   how long a hold lives before the reconciler may release it: the longest request
     *                  duration plus a margin
     * @param topUpHint where the 403 message sends the user to add credit
     */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint) {
        this(store, clock, holdTtl, topUpHint, null, new BalanceCache<>(clock, Duration.ZERO));
    }

    /**
     * @param freeUsage    batches the usage of requests that take no hold (free models), so they cost no
     *                     DynamoDB write each; {@code null} records each one synchronously
     * @param accountCache what this instance last read of each account, for free requests: their balance
     *                     header and their debt check come from it (they move no money), one read per
     *                     account and TTL for both
     */
    public RequestBilling(BalanceStore store, Clock clock, Duration holdTtl, String topUpHint,
                          UsageBatcher freeUsage, BalanceCache<BalanceStore.Funds> accountCache) {
        this.store = store;
        this.clock = clock;
        this.holdTtl = holdTtl;
        this.topUpHint = topUpHint;
        this.freeUsage = freeUsage;
        this.accountCache = accountCache;
    }

    /** Reserves {@code maxCost} for the request, or throws 403 {@code insufficient_quota} saying what is left. */
    public Reservation reserve(ApiKey key, String model, String requestId, Money maxCost) {
        Instant now = clock.instant();
        if (maxCost.isZero()) {
            // Free models take no hold, so the debt a hold would have refused is checked here, from
            // what this instance learnt in the last moment: a free request moves no money.
            Money owed = funds(key.accountId(), requestId).debt();
            if (owed.isPositive()) {
                throw new AccountInDebtException(owed, topUpHint);
            }
            return new Reservation(requestId, key, null, now);
        }
        Hold hold = new Hold(requestId, key.accountId(), key.keyId(), key.secretHash(), key.budget() != null, maxCost, model,
                now, now.plus(holdTtl));
        try {
            store.reserve(hold);
        } catch (InsufficientFundsException e) {
            throw insufficient(e, key, maxCost);
        } catch (AccountInDebtException e) {
            throw new AccountInDebtException(e.owed(), topUpHint);
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
        if (reservation.held()) {
            Settlement settlement = store.settle(reservation.hold(), charge);
            sawAfterHold(key.accountId(), settlement.balance());
            return settlement;
        }
        if (freeUsage == null || !cost.isZero()) {
            return store.record(charge);
        }
        freeUsage.add(charge);
        return new Settlement(Money.ZERO, Money.ZERO, funds(key.accountId(), reservation.requestId()).balance(), false);
    }

    /**
     * What this instance last saw of the account; a stale or missing view is read with any debt paid first
     * (ledger entry {@code debt:<requestId>}, so a second read for the same request pays nothing twice).
     */
    private BalanceStore.Funds funds(String accountId, String requestId) {
        return accountCache.get(accountId, account -> store.fundsAfterDebt(account, "debt:" + requestId, clock.instant()));
    }

    /**
     * A paid request's balance, read after its settlement, replaces the balance free requests show; what the
     * account owes is not learnt from it (a refund may have come since the hold was taken), so the view keeps
     * its age and is read again at the TTL. An account no free request has asked about is not cached.
     */
    private void sawAfterHold(String accountId, Money balance) {
        accountCache.update(accountId, seen -> new BalanceStore.Funds(balance, seen.debt()));
    }

    /** The account's current balance (open holds already taken out), read now. */
    public Money balance(String accountId) {
        return store.balance(accountId).orElse(Money.ZERO);
    }

    /** The balance to show a request: read now when it holds money, else what this instance last saw. */
    public Money balanceFor(Reservation reservation) {
        String accountId = reservation.key().accountId();
        if (!reservation.held()) {
            return funds(accountId, reservation.requestId()).balance();
        }
        Money balance = balance(accountId);
        sawAfterHold(accountId, balance);
        return balance;
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
