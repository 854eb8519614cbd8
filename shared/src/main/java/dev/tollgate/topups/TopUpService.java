package dev.tollgate.topups;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.money.Money;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer use case: start a Stripe Checkout top-up, and read top-ups back. The order is stored before
 * the Checkout Session is created, so by the time Stripe can report a payment its order exists.
 */
public final class TopUpService {

    private static final Logger LOG = LoggerFactory.getLogger(TopUpService.class);
    public static final int MAX_LISTED = 100;

    private final TopUpStore store;
    private final CheckoutGateway gateway;
    private final TopUpSettings settings;
    private final Clock clock;

    public TopUpService(TopUpStore store, CheckoutGateway gateway, TopUpSettings settings, Clock clock) {
        this.store = store;
        this.gateway = gateway;
        this.settings = settings;
        this.clock = clock;
    }

    /** A checkout whose return URLs must be configured ({@link TopUpSettings}); see the other overload. */
    public TopUp checkout(ApiKey caller, Money amount) {
        return checkout(caller, amount, null);
    }

    /**
     * Creates the order and its Checkout Session; the returned order carries the session and its URL.
     *
     * @param billingPage the console's billing page on this deployment's own base URL, where Stripe sends the
     *                    customer back when no return URL is configured; the page shows the top-up's status
     */
    public TopUp checkout(ApiKey caller, Money amount, String billingPage) {
        requireManagement(caller);
        validate(amount);
        TopUp order = TopUp.pending(Ids.newId("topup"), caller.accountId(), caller.keyId(), amount, clock.instant());
        store.create(order);
        CheckoutGateway.CheckoutSession session;
        try {
            session = usable(gateway.create(new CheckoutGateway.CheckoutRequest(order.topupId(), order.accountId(),
                    UsdCents.of(amount), url(returnUrl(settings.successUrl(), billingPage, SUCCESS), order),
                    url(returnUrl(settings.cancelUrl(), billingPage, CANCEL), order))));
        } catch (RuntimeException e) {
            // No session means nothing can be paid: close the order so it does not look like a pending payment.
            store.close(order.topupId(), TopUpState.FAILED, null, "checkout session not created");
            throw e;
        }
        store.attachSession(order.topupId(), session.sessionId(), session.url(), session.expiresAt());
        LOG.info("top-up {} of {} for account {}: checkout session {}", order.topupId(), amount, order.accountId(),
                session.sessionId());
        return order.withSession(session.sessionId(), session.url(), session.expiresAt());
    }

    /** The session, if the customer can pay on it: a session without an id or a page to open is a provider failure. */
    private static CheckoutGateway.CheckoutSession usable(CheckoutGateway.CheckoutSession session) {
        if (session == null || blank(session.sessionId()) || blank(session.url())) {
            throw new ApiException(ErrorCode.UPSTREAM_FAILED, "The payment provider answered without a checkout "
                    + "session to pay on (" + (session == null ? "no session" : "session " + session.sessionId()
                    + " has no URL") + "). Nothing was charged; try again in a moment.");
        }
        return session;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    public TopUp get(ApiKey caller, String topupId) {
        requireManagement(caller);
        return store.find(topupId).filter(t -> t.accountId().equals(caller.accountId()))
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No top-up with id '" + topupId
                        + "' in your account. GET /v1/billing/topups lists them."));
    }

    /** The account's latest top-ups, newest first. */
    public List<TopUp> list(ApiKey caller) {
        requireManagement(caller);
        return store.listByAccount(caller.accountId(), MAX_LISTED);
    }

    private void validate(Money amount) {
        if (!UsdCents.isWholeCents(amount) || amount.lessThan(settings.minimum()) || settings.maximum().lessThan(amount)) {
            throw ApiException.invalid("amount_usd", "'amount_usd' must be between " + dollars(settings.minimum())
                    + " and " + dollars(settings.maximum()) + " in whole cents, e.g. \"10.00\".");
        }
    }

    private static String dollars(Money amount) {
        return "$" + new java.math.BigDecimal(UsdCents.of(amount)).movePointLeft(2).toPlainString();
    }

    private static final String SUCCESS = "?topup_id={TOPUP_ID}&session_id={CHECKOUT_SESSION_ID}";
    private static final String CANCEL = "?topup_id={TOPUP_ID}&cancelled=true";

    private static String returnUrl(String configured, String billingPage, String query) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (billingPage == null) {
            throw new IllegalStateException("no Checkout return URL configured and no billing page to return to");
        }
        return billingPage + query;
    }

    private static String url(String template, TopUp order) {
        return template.replace("{TOPUP_ID}", order.topupId());
    }

    private static void requireManagement(ApiKey caller) {
        if (caller.role() != KeyRole.MANAGEMENT) {
            throw new ApiException(ErrorCode.PERMISSION_DENIED, "Topping up needs a management key; this is an "
                    + "inference key. Use the management key returned when the account was opened.");
        }
    }
}
