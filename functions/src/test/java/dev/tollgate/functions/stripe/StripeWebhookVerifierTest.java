package dev.tollgate.functions.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.stripe.Stripe;
import dev.tollgate.error.ApiException;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.topups.DisputeTarget;
import dev.tollgate.topups.PaymentEvent;
import dev.tollgate.topups.TopUpState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every sample in {@code events/stripe/} verified with a fixed clock and reduced to what top-ups need, in
 * the samples' API version (read with {@code deserializeUnsafe()}) and in the library's own.
 */
class StripeWebhookVerifierTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final Map<String, String> IDS = Map.of("EVENT_ID", "evt_1", "TOPUP_ID", "topup_1", "ACCOUNT_ID", "acct_1",
            "SESSION_ID", "cs_test_1", "PAYMENT_INTENT", "pi_1", "CHARGE_ID", "ch_1", "DISPUTE_ID", "du_1",
            "REFUND_ID", "re_1");

    final StripeWebhookVerifier verifier = new StripeWebhookVerifier(() -> StripeEvents.SECRET, Duration.ofMinutes(5),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aPaidSessionInEitherApiVersion() {
        PaymentEvent expected = new PaymentEvent.CheckoutPaid("evt_1", "checkout.session.completed", "topup_1", "acct_1",
                "cs_test_1", "pi_1", 1000, "usd");
        String sample = StripeEvents.load("checkout.session.completed", IDS);

        assertThat(verify(sample)).isEqualTo(expected);
        assertThat(verify(StripeEvents.edit(sample, e -> e.put("api_version", Stripe.API_VERSION)))).isEqualTo(expected);
        assertThat(verify(StripeEvents.load("checkout.session.async_payment_succeeded", IDS)))
                .isEqualTo(new PaymentEvent.CheckoutPaid("evt_1", "checkout.session.async_payment_succeeded", "topup_1",
                        "acct_1", "cs_test_1", "pi_1", 1000, "usd"));
    }

    @Test
    void unpaidEndsRefundsAndDisputes() {
        assertThat(verify(StripeEvents.load("checkout.session.expired", IDS))).isEqualTo(new PaymentEvent.CheckoutUnpaid(
                "evt_1", "checkout.session.expired", "topup_1", "cs_test_1", TopUpState.EXPIRED));
        assertThat(verify(StripeEvents.load("charge.refunded", IDS))).isEqualTo(new PaymentEvent.ChargeRefunded(
                "evt_1", "charge.refunded", "ch_1", "pi_1", "topup_1", 300, "usd"));
        assertThat(verify(StripeEvents.load("charge.refund.updated", IDS))).isEqualTo(new PaymentEvent.RefundFailed(
                "evt_1", "charge.refund.updated", "re_1", "ch_1", "pi_1", 300, "usd"));
    }

    @Test
    void eachDisputeEventSaysWhetherTheDisputeIsHeldOrReleased() {
        assertThat(dispute("charge.dispute.created")).isEqualTo(disputed("charge.dispute.created", "needs_response", DisputeTarget.HELD));
        assertThat(dispute("charge.dispute.funds_withdrawn"))
                .isEqualTo(disputed("charge.dispute.funds_withdrawn", "needs_response", DisputeTarget.HELD));
        assertThat(dispute("charge.dispute.funds_reinstated"))
                .isEqualTo(disputed("charge.dispute.funds_reinstated", "won", DisputeTarget.RELEASED));
        assertThat(dispute("charge.dispute.closed")).isEqualTo(disputed("charge.dispute.closed", "lost", DisputeTarget.HELD));
        assertThat(verify(withStatus("charge.dispute.closed", "won")))
                .isEqualTo(disputed("charge.dispute.closed", "won", DisputeTarget.RELEASED));
        assertThat(verify(withStatus("charge.dispute.closed", "warning_closed")))
                .isEqualTo(disputed("charge.dispute.closed", "warning_closed", DisputeTarget.RELEASED));
        assertThat(verify(withStatus("charge.dispute.created", "warning_needs_response")))
                .as("an inquiry is held too").isEqualTo(disputed("charge.dispute.created", "warning_needs_response", DisputeTarget.HELD));
    }

    private PaymentEvent dispute(String name) {
        return verify(StripeEvents.load(name, IDS));
    }

    private static String withStatus(String name, String status) {
        return StripeEvents.edit(StripeEvents.load(name, IDS), e -> StripeEvents.object(e).put("status", status));
    }

    private static PaymentEvent disputed(String type, String status, DisputeTarget target) {
        return new PaymentEvent.DisputeChanged("evt_1", type, "du_1", "ch_1", "pi_1", 1000, "usd", status, target);
    }

    @Test
    void eventsThatNeedNothingAreIgnored() {
        String unpaid = StripeEvents.edit(StripeEvents.load("checkout.session.completed", IDS),
                e -> StripeEvents.object(e).put("payment_status", "unpaid"));
        String refundSucceeded = StripeEvents.edit(StripeEvents.load("charge.refund.updated", IDS),
                e -> StripeEvents.object(e).put("status", "succeeded"));

        assertThat(verify(unpaid)).isInstanceOf(PaymentEvent.Ignored.class);
        assertThat(verify(refundSucceeded)).isInstanceOf(PaymentEvent.Ignored.class);
        assertThat(verify(StripeEvents.load("customer.created", IDS)))
                .isEqualTo(new PaymentEvent.Ignored("evt_1", "customer.created", "event type not handled"));
    }

    @Test
    void theClockDecidesWhatIsStale() {
        String sample = StripeEvents.load("customer.created", IDS);

        ApiException stale = catchThrowableOfType(ApiException.class, () -> verifier.verify(bytes(sample),
                StripeEvents.signature(sample, StripeEvents.SECRET, NOW.minusSeconds(301))));

        assertThat(stale.status()).isEqualTo(400);
        assertThat(verifier.verify(bytes(sample), StripeEvents.signature(sample, StripeEvents.SECRET, NOW.minusSeconds(299))))
                .isInstanceOf(PaymentEvent.Ignored.class);
    }

    @Test
    void aRotatedSecretIsInForceAtOnceBecauseItIsReadOnEveryCall() {
        AtomicReference<String> configured = new AtomicReference<>("whsec_before");
        StripeWebhookVerifier rotating = new StripeWebhookVerifier(configured::get, Duration.ofMinutes(5),
                Clock.fixed(NOW, ZoneOffset.UTC));
        String sample = StripeEvents.load("customer.created", IDS);
        String oldSignature = StripeEvents.signature(sample, "whsec_before", NOW);

        configured.set("whsec_after");

        assertThat(catchThrowableOfType(ApiException.class, () -> rotating.verify(bytes(sample), oldSignature)).status())
                .isEqualTo(400);
        assertThat(rotating.verify(bytes(sample), StripeEvents.signature(sample, "whsec_after", NOW)))
                .isInstanceOf(PaymentEvent.Ignored.class);
        configured.set(" ");
        assertThat(catchThrowableOfType(ApiException.class, () -> rotating.verify(bytes(sample), oldSignature)).status())
                .as("no secret: 503, so Stripe keeps the event").isEqualTo(503);
    }

    private PaymentEvent verify(String payload) {
        return verifier.verify(bytes(payload), StripeEvents.signature(payload, StripeEvents.SECRET, NOW));
    }

    private static byte[] bytes(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8);
    }
}
