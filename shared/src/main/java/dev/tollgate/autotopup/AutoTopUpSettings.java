package dev.tollgate.autotopup;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.money.Money;
import dev.tollgate.topups.UsdCents;
import java.time.Clock;
import java.util.function.Function;

/**
 * Customer use case behind {@code GET/PATCH /v1/billing/auto-topup}: read and change an account's auto top-up.
 * Turning it on arms it only if the balance is at or above the threshold now: it fires on a crossing, not because
 * the balance already was low (top up once, or lower the threshold).
 */
public final class AutoTopUpSettings {

    private final AutoTopUps autoTopUps;
    private final Function<String, Money> balances;
    private final Money minimum;
    private final Money maximum;
    private final Clock clock;

    /** @param minimum, maximum what one top-up may be (the Checkout limits) */
    public AutoTopUpSettings(AutoTopUps autoTopUps, Function<String, Money> balances, Money minimum, Money maximum,
                             Clock clock) {
        this.autoTopUps = autoTopUps;
        this.balances = balances;
        this.minimum = minimum;
        this.maximum = maximum;
        this.clock = clock;
    }

    public AutoTopUp get(ApiKey caller) {
        requireManagement(caller);
        return autoTopUps.store().find(caller.accountId()).orElse(AutoTopUp.none(caller.accountId()));
    }

    /** The fields of a PATCH; null leaves a field as it is. */
    public record Patch(Boolean enabled, Money threshold, Money amount, Money dailyCap) {
    }

    public AutoTopUp update(ApiKey caller, Patch patch) {
        requireManagement(caller);
        String accountId = caller.accountId();
        for (int round = 0; round < 10; round++) {
            AutoTopUp current = get(caller);
            boolean enabled = patch.enabled() == null ? current.enabled() : patch.enabled();
            Money threshold = patch.threshold() == null ? current.threshold() : patch.threshold();
            Money amount = patch.amount() == null ? current.amount() : patch.amount();
            Money cap = patch.dailyCap() == null ? current.dailyCap() : patch.dailyCap();
            validate(threshold, amount, cap, patch);
            if (enabled && !current.hasPaymentMethod()) {
                throw ApiException.invalid("enabled", "Auto top-up needs a saved card: pay one top-up with Checkout "
                        + "first (POST /v1/billing/checkout); its card is saved for later top-ups.");
            }
            if (enabled && (!threshold.isPositive() || !amount.isPositive() || !cap.isPositive())) {
                throw ApiException.invalid("enabled", "Set threshold_usd, amount_usd and daily_cap_usd to turn auto top-up on.");
            }
            boolean armed = enabled && !balances.apply(accountId).lessThan(threshold);
            String reason = enabled ? null : current.reason();
            AutoTopUp next = current.withSettings(enabled, threshold, amount, cap, armed, reason, clock.instant());
            if (autoTopUps.store().replace(current, next)) {
                autoTopUps.forget(accountId);
                return autoTopUps.store().find(accountId).orElse(next);
            }
        }
        throw new ApiException(ErrorCode.CONFLICT, "The auto top-up settings changed concurrently; try again.");
    }

    private void validate(Money threshold, Money amount, Money cap, Patch patch) {
        if (patch.threshold() != null && (!UsdCents.isWholeCents(threshold) || threshold.isNegative()
                || maximum.lessThan(threshold))) {
            throw ApiException.invalid("threshold_usd", "'threshold_usd' must be between $0.00 and " + maximum.display()
                    + " in whole cents, e.g. \"5.00\".");
        }
        if (patch.amount() != null && (!UsdCents.isWholeCents(amount) || amount.lessThan(minimum) || maximum.lessThan(amount))) {
            throw ApiException.invalid("amount_usd", "'amount_usd' must be between " + minimum.display() + " and "
                    + maximum.display() + " in whole cents, e.g. \"20.00\".");
        }
        if (patch.dailyCap() != null && (!UsdCents.isWholeCents(cap) || cap.isNegative())) {
            throw ApiException.invalid("daily_cap_usd", "'daily_cap_usd' must be a positive amount in whole cents.");
        }
        if (amount.isPositive() && cap.isPositive() && cap.lessThan(amount)) {
            throw ApiException.invalid("daily_cap_usd", "'daily_cap_usd' (" + cap.display()
                    + ") is below one top-up of " + amount.display() + ": no auto top-up could ever run.");
        }
    }

    private static void requireManagement(ApiKey caller) {
        if (caller.role() != KeyRole.MANAGEMENT) {
            throw new ApiException(ErrorCode.PERMISSION_DENIED, "Auto top-up needs a management key; this is an "
                    + "inference key.");
        }
    }
}
