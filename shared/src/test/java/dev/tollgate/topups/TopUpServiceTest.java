package dev.tollgate.topups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.money.Money;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A checkout whose provider answers without a session the customer could pay on is a 502, and the order it
 * stored first ends failed, never pending (the Stripe adapter's own cases are in CheckoutApiIT).
 */
class TopUpServiceTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final ApiKey CALLER = ApiKey.create("key_1", "acct_1", KeySecret.generate(), "m", KeyRole.MANAGEMENT, NOW);
    static final TopUpSettings SETTINGS = new TopUpSettings(Money.parseDollars("5.00"), Money.parseDollars("100.00"),
            "https://app.example/paid", "https://app.example/cancelled");

    final Orders orders = new Orders();

    @Test
    void aSessionWithoutAUrlOrWithoutAnIdOrNoSessionAtAllIsAGatewayErrorAndTheOrderFails() {
        for (CheckoutGateway.CheckoutSession answer : java.util.Arrays.asList(null,
                new CheckoutGateway.CheckoutSession("cs_1", null, NOW), new CheckoutGateway.CheckoutSession(" ", "https://x", NOW))) {
            TopUpService service = new TopUpService(orders, request -> answer, SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));

            ApiException refused = catchThrowableOfType(ApiException.class, () -> service.checkout(CALLER, Money.parseDollars("10.00")));

            assertThat(refused.status()).as(String.valueOf(answer)).isEqualTo(502);
            assertThat(refused.getMessage()).contains("Nothing was charged");
            assertThat(orders.states.values()).as(String.valueOf(answer)).containsOnly(TopUpState.FAILED);
        }
    }

    /** Just enough of a store for checkout: orders and their states. */
    static final class Orders implements TopUpStore {

        final Map<String, TopUpState> states = new HashMap<>();

        @Override
        public void create(TopUp order) {
            states.put(order.topupId(), order.state());
        }

        @Override
        public void attachSession(String topupId, String sessionId, String checkoutUrl, Instant expiresAt) {
            throw new AssertionError("a session that cannot be paid on must not be attached");
        }

        @Override
        public boolean close(String topupId, TopUpState state, String eventId, String reason) {
            return states.replace(topupId, TopUpState.PENDING, state);
        }

        @Override
        public Optional<TopUp> find(String topupId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<TopUp> findByPaymentIntent(String paymentIntentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TopUp> listByAccount(String accountId, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Credit credit(TopUp order, Payment payment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Reversed refund(TopUp order, Refund refund) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DisputeApplied dispute(TopUp order, DisputeChange change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RefundReturned refundFailed(TopUp order, RefundFailure failure) {
            throw new UnsupportedOperationException();
        }
    }
}
