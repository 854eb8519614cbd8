package dev.tollgate.autotopup;

import dev.tollgate.alerts.AlertEvents;
import dev.tollgate.alerts.AlertKind;
import dev.tollgate.alerts.Alerts;
import dev.tollgate.billing.Settlement;
import dev.tollgate.billing.SettlementObserver;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore;
import dev.tollgate.topups.UsdCents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an auto top-up when a settlement leaves the balance below the account's threshold having been at or above
 * it (a crossing), at most once per crossing and within the daily cap.
 *
 * <p><b>Once per crossing.</b> The state item is armed while the balance is seen at or above the threshold. The
 * first settlement to see it below claims the crossing with one conditional write (version check) that disarms it,
 * counts the amount against the UTC day and numbers the crossing; concurrent settlements on any instance lose that
 * write and do nothing. The winner creates the order {@code topup_auto_<account>_<n>} and a PaymentIntent with the
 * Stripe idempotency key {@code autotopup-<account>-<n>}, so even a restarted attempt is the same payment. The
 * webhook credits it like any top-up ({@link dev.tollgate.topups.TopUpWebhooks}), exactly once.
 *
 * <p><b>Never on the request's time.</b> {@link #settled} only compares with what this instance last saw and hands
 * the rest to the executor. A claimed crossing carries {@code dueAt}; if the process stops before Stripe answered,
 * {@link #runDue} (the reconciler, or the server's job) starts it again with the same idempotency key.
 *
 * <p><b>Failures</b> (declined, authentication required, a {@code payment_intent.payment_failed}) switch auto
 * top-up off with the reason and raise {@code topup_failed}. It re-arms only once the balance is seen at or above
 * the threshold again.
 */
public final class AutoTopUps implements SettlementObserver {

    private static final Logger LOG = LoggerFactory.getLogger(AutoTopUps.class);
    /** How long a claimed crossing may wait for its payment to be started before the reconciler restarts it. */
    static final Duration START_LEASE = Duration.ofMinutes(2);

    private final AutoTopUpStore store;
    private final TopUpStore orders;
    private final OffSessionPayments payments;
    private final Alerts alerts;
    private final AlertEvents events;
    private final Executor executor;
    private final Clock clock;
    private final Duration cacheTtl;
    private final boolean startInProcess;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(AutoTopUp state, Instant at) {
    }

    public AutoTopUps(AutoTopUpStore store, TopUpStore orders, OffSessionPayments payments, Alerts alerts,
                      AlertEvents events, Executor executor, Clock clock, Duration cacheTtl) {
        this(store, orders, payments, alerts, events, executor, clock, cacheTtl, true);
    }

    /**
     * @param startInProcess false where this process may not call Stripe (the chat function on Lambda): a claimed
     *                       crossing is then due at once, and the reconciler's next run ({@link #runDue}) starts it
     */
    public AutoTopUps(AutoTopUpStore store, TopUpStore orders, OffSessionPayments payments, Alerts alerts,
                      AlertEvents events, Executor executor, Clock clock, Duration cacheTtl, boolean startInProcess) {
        this.startInProcess = startInProcess;
        this.store = store;
        this.orders = orders;
        this.payments = payments;
        this.alerts = alerts;
        this.events = events;
        this.executor = executor;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    public AutoTopUpStore store() {
        return store;
    }

    /** Called on the request's thread: decides from memory whether anything may change, and does it elsewhere. */
    @Override
    public void settled(ApiKey key, Settlement settlement) {
        Money balance = settlement.balance();
        if (balance == null) {
            return;
        }
        Seen last = seen.get(key.accountId());
        if (last != null && !last.at().plus(cacheTtl).isBefore(clock.instant())
                && (!last.state().enabled() || last.state().armed() != balance.lessThan(last.state().threshold()))) {
            return; // off, or armed and still above, or already claimed and still below
        }
        executor.execute(() -> {
            try {
                check(key.accountId(), balance);
            } catch (RuntimeException e) {
                LOG.warn("auto top-up check for account {} failed: {}", key.accountId(), e.toString());
            }
        });
    }

    /** Arms, or claims a crossing and starts its payment, from the stored state. */
    void check(String accountId, Money balance) {
        for (int round = 0; round < 10; round++) {
            AutoTopUp state = store.find(accountId).orElse(AutoTopUp.none(accountId));
            seen.put(accountId, new Seen(state, clock.instant()));
            if (!state.enabled()) {
                return;
            }
            boolean below = balance.lessThan(state.threshold());
            if (!below && !state.armed()) {
                if (store.replace(state, state.withArmed(true, clock.instant()))) {
                    remember(state.withArmed(true, clock.instant()));
                    return;
                }
            } else if (below && state.armed()) {
                AutoTopUp claimed = claim(state);
                if (store.replace(state, claimed)) {
                    remember(claimed);
                    if ("pending".equals(claimed.status()) && startInProcess) {
                        start(accountId, claimed.crossing());
                    }
                    return;
                }
            } else {
                return;
            }
        }
    }

    private void remember(AutoTopUp written) {
        seen.put(written.accountId(), new Seen(written, clock.instant()));
    }

    private AutoTopUp claim(AutoTopUp state) {
        Instant now = clock.instant();
        String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        Money spentToday = today.equals(state.day()) ? state.dayTotal() : Money.ZERO;
        if (!state.hasPaymentMethod()) {
            return state.claimed(today, spentToday, "no_payment_method", "No saved card yet: pay one top-up with "
                    + "Checkout first; its card is saved for auto top-ups.", null, now);
        }
        if (state.dailyCap().lessThan(spentToday.plus(state.amount()))) {
            return state.claimed(today, spentToday, "daily_cap", "Skipped: " + spentToday.display() + " of today's "
                    + state.dailyCap().display() + " cap already used (UTC day).", null, now);
        }
        return state.claimed(today, spentToday.plus(state.amount()), "pending", null,
                startInProcess ? now.plus(START_LEASE) : now, now);
    }

    public static String orderId(String accountId, long crossing) {
        return "topup_auto_" + accountId + "_" + crossing;
    }

    /** Creates the order (once) and the off-session payment (once: same idempotency key) of a claimed crossing. */
    void start(String accountId, long crossing) {
        AutoTopUp state = store.find(accountId).orElse(null);
        if (state == null || state.crossing() != crossing || !"pending".equals(state.status())) {
            return; // started, failed or superseded meanwhile
        }
        if (!state.enabled()) {
            // Turned off after the crossing was claimed: the customer no longer wants the charge.
            update(accountId, s -> s.crossing() == crossing && "pending".equals(s.status())
                    ? s.withResult("cancelled", "auto top-up was turned off before the payment started", null, null,
                    clock.instant()) : null);
            return;
        }
        String topupId = orderId(accountId, crossing);
        if (orders.find(topupId).isEmpty()) {
            orders.create(TopUp.pending(topupId, accountId, null, state.amount(), clock.instant()));
        }
        OffSessionPayments.Outcome outcome;
        try {
            outcome = payments.charge(new OffSessionPayments.Charge(topupId, accountId, state.customerId(),
                    state.paymentMethodId(), UsdCents.of(state.amount()), "autotopup-" + accountId + "-" + crossing));
        } catch (RuntimeException e) {
            // Nothing known to be charged; the reconciler restarts it at dueAt with the same idempotency key.
            LOG.warn("auto top-up {} could not reach the payment provider; retried after {}: {}", topupId, START_LEASE,
                    e.toString());
            return;
        }
        if (outcome.accepted()) {
            update(accountId, s -> s.crossing() == crossing ? s.withResult("started", null, topupId, null, clock.instant()) : null);
            events.autoTopUp("started");
            LOG.info("auto top-up {} of {} started for account {}: {}", topupId, state.amount(), accountId,
                    outcome.paymentIntentId());
        } else {
            failed(accountId, topupId, outcome.code(), outcome.message());
        }
    }

    /** A payment that cannot succeed without the customer: order failed, auto top-up off, {@code topup_failed}. */
    public void failed(String accountId, String topupId, String code, String message) {
        String reason = (code == null ? "payment failed" : code) + (message == null ? "" : ": " + message);
        // Stripe reports a refused payment twice (the API's answer, then payment_intent.payment_failed): the first
        // closes the order and switches auto top-up off; the second finds both done and changes nothing.
        boolean fresh = orders.find(topupId).map(o -> o.state() == TopUpState.PENDING).orElse(false)
                && orders.close(topupId, TopUpState.FAILED, null, reason);
        boolean switchedOff = update(accountId, s -> s.enabled() ? s.switchedOff(reason, clock.instant()) : null);
        if (!fresh && !switchedOff) {
            return;
        }
        events.autoTopUp("failed");
        LOG.warn("auto top-up {} for account {} failed ({}); auto top-up switched off", topupId, accountId, reason);
        if (switchedOff) {
            alerts.raise(accountId, AlertKind.TOPUP_FAILED, topupId, "Auto top-up " + topupId + " failed (" + reason
                    + "). Auto top-up is now off: top up with Checkout, then turn it back on.",
                    Map.of("topup_id", topupId, "code", code == null ? "" : code, "reason", reason));
        }
    }

    /** The auto top-up's webhook credited it. */
    public void succeeded(String accountId, String topupId) {
        update(accountId, s -> topupId.equals(s.lastTopupId()) || topupId.equals(orderId(accountId, s.crossing()))
                ? s.withResult("succeeded", null, topupId, null, clock.instant()) : null);
        events.autoTopUp("succeeded");
    }

    /** A Checkout saved a card for off-session use: later auto top-ups charge it. */
    public void paymentMethodSaved(String accountId, String customerId, String paymentMethodId) {
        update(accountId, s -> customerId.equals(s.customerId()) && paymentMethodId.equals(s.paymentMethodId()) ? null
                : s.withPaymentMethod(customerId, paymentMethodId, clock.instant()));
    }

    /** Restarts crossings claimed but not started (their process stopped first); returns how many. */
    public int runDue() {
        int started = 0;
        for (String accountId : store.due(clock.instant(), 100)) {
            store.find(accountId).ifPresent(s -> start(accountId, s.crossing()));
            started++;
        }
        return started;
    }

    /** Applies {@code change} (null: nothing to do) with optimistic retries; true when it was written. */
    boolean update(String accountId, java.util.function.UnaryOperator<AutoTopUp> change) {
        for (int round = 0; round < 10; round++) {
            AutoTopUp state = store.find(accountId).orElse(AutoTopUp.none(accountId));
            AutoTopUp next = change.apply(state);
            if (next == null) {
                return false;
            }
            if (store.replace(state, next)) {
                seen.remove(accountId);
                return true;
            }
        }
        LOG.warn("auto top-up state of account {} kept changing; an update was dropped", accountId);
        return false;
    }

    /** Forgets what this instance saw (after the settings changed here). */
    void forget(String accountId) {
        seen.remove(accountId);
    }
}
