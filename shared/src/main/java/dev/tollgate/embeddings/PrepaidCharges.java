package dev.tollgate.embeddings;

import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.InsufficientFundsException;
import dev.tollgate.billing.Settlement;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
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

    PrepaidCharges(BalanceStore store, String topUpHint) {
        this.store = store;
        this.topUpHint = topUpHint;
    }

    /** Takes the charge's cost from the balance (and key budget), or throws 403; free requests are only metered. */
    Settlement charge(ApiKey key, Charge charge) {
        if (charge.cost().isZero()) {
            return store.record(charge);
        }
        try {
            // Always through the key's own item: its stored state (revoked, disabled, budget) decides, not the cache.
            return store.charge(charge, key.secretHash(), true);
        } catch (InsufficientFundsException e) {
            throw insufficient(e, key, charge);
        } catch (AccountInDebtException e) {
            throw new AccountInDebtException(e.owed(), topUpHint);
        }
    }

    /** Gives the charge back: the work it paid for failed, so the caller got nothing. */
    void reverse(ApiKey key, Charge charge) {
        if (charge.cost().isZero()) {
            return;
        }
        try {
            if (!store.reverse(charge, key.secretHash(), true)) {
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
