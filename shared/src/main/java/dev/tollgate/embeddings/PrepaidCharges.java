package dev.tollgate.embeddings;

import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.RateExceededException;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.RequestRate;
import dev.tollgate.billing.InsufficientFundsException;
import dev.tollgate.billing.Settlement;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.WindowExceededException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges a request whose cost is known before it runs, with one conditional write and no hold
 * ({@link BalanceStore#charge}), and reverses it if the work then fails. Refusals are the same 403
 * {@code insufficient_quota} as chat's, saying which limit refused and what is left.
 */
final class PrepaidCharges {

    private static final Logger LOG = LoggerFactory.getLogger(PrepaidCharges.class);

    private final BalanceStore store;
    private final String topUpHint;
    private final RequestBilling billing;

    /** @param billing the spend windows and per-minute limits a charge counts in, and their refusals */
    PrepaidCharges(BalanceStore store, String topUpHint, RequestBilling billing) {
        this.store = store;
        this.topUpHint = topUpHint;
        this.billing = billing;
    }

    /**
     * Takes the charge's cost from the balance (and key budget) and counts it in the spend windows and the key's
     * minute, or throws 403 (balance, budget) or 429 (window, minute); free requests are only metered (and counted
     * in the minute of a key with per-minute limits).
     */
    Settlement charge(ApiKey key, Charge charge) {
        List<SpendWindow> windows = billing.windowsOf(key);
        RequestRate rate = billing.rateOf(key, charge.usage().totalTokens());
        try {
            if (charge.cost().isZero()) {
                if (rate != null) {
                    store.countRate(rate, charge.at());
                }
                return told(charge, store.record(charge).withWindows(billing.windowsNow(windows, charge.requestId())));
            }
            // Always through the key's own item: its stored state (revoked, disabled, budget) decides, not the cache.
            Settlement settlement = store.charge(charge, key.secretHash(), true, windows, rate);
            return told(charge, settlement.withWindows(billing.windowsNow(windows, charge.requestId())));
        } catch (InsufficientFundsException e) {
            throw insufficient(e, key, charge);
        } catch (AccountInDebtException e) {
            throw new AccountInDebtException(e.owed(), topUpHint);
        } catch (WindowExceededException | RateExceededException e) {
            throw billing.refusal(e, key, charge.cost(), windows, charge.requestId());
        }
    }

    /** Tells the metrics of an in-process request that was charged and answered. */
    void answered(Charge charge, Settlement settlement) {
        billing.observe(dev.tollgate.metrics.Endpoint.EMBEDDINGS, charge, settlement);
    }

    /** Tells the metrics of an in-process request whose charge was given back because the model failed. */
    void failed(Charge charge) {
        billing.observeFailure(dev.tollgate.metrics.Endpoint.EMBEDDINGS, charge.model());
    }

    /** The request's log line and trace learn what it was charged. */
    private Settlement told(Charge charge, Settlement settlement) {
        billing.charged(charge, settlement);
        return settlement;
    }

    /** Gives the charge back: the work it paid for failed, so the caller got nothing. */
    void reverse(ApiKey key, Charge charge) {
        if (charge.cost().isZero()) {
            return;
        }
        try {
            if (!store.reverse(charge, key.secretHash(), true, billing.windowsOf(key))) {
                LOG.warn("request {}: charge was already reversed", charge.requestId());
            }
        } catch (RuntimeException e) {
            LOG.error("request {}: could not reverse a charge of {} after the model failed; reverse it by hand",
                    charge.requestId(), charge.cost(), e);
        }
    }

    private ApiException insufficient(InsufficientFundsException e, ApiKey key, Charge charge) {
        String cost = charge.cost().display();
        String message = switch (e.limit()) {
            case ACCOUNT_BALANCE -> "Insufficient balance: " + e.available().display() + " left, this request costs "
                    + cost + ". " + topUpHint + " Or send fewer or shorter inputs.";
            case KEY_BUDGET -> "This API key's budget is used up: " + e.available().display() + " of its "
                    + (key.budget() == null ? "" : key.budget().display() + " ") + "budget left, this request costs " + cost
                    + ". Raise the key's budget with a management key (PATCH /v1/keys/" + key.keyId()
                    + ") or send fewer inputs.";
        };
        return new ApiException(ErrorCode.INSUFFICIENT_QUOTA, message);
    }
}
