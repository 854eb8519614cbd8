package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import dev.tollgate.windows.Plan;
import dev.tollgate.windows.Plans;
import dev.tollgate.windows.SpendWindows;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Window resets through {@link RequestBilling} with an injected clock, no sleeping: the 429 names the window and
 * its reset and says how long to wait; moving the clock to the reset admits the next request.
 */
class SpendWindowClockIT {

    private static final long HOLD = 1_000;

    private static LocalDynamo dynamo;
    private static BalanceFixture f;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void theWeekResetsOnMondayAndTheRefusalSaysWhen() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T23:00:00Z")); // a Sunday
        RequestBilling billing = billing(clock, new WindowLimit(Window.WEEKLY, Money.ofMicros(2 * HOLD)));
        ApiKey key = f.account(1_000_000);

        settle(billing, billing.reserve(key, "m", "req-w1", Money.ofMicros(HOLD)), 400);
        billing.reserve(key, "m", "req-w2", Money.ofMicros(HOLD));
        assertThatThrownBy(() -> billing.reserve(key, "m", "req-w3", Money.ofMicros(HOLD)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED);
                    assertThat(e.getMessage()).contains("weekly window of plan 'tight'").contains("2026-12-07T00:00:00Z")
                            .contains("$0.000600 of its $0.002000 is left");
                    assertThat(e.headers()).containsEntry("Retry-After", "3600").containsEntry("x-tollgate-window", "weekly")
                            .containsEntry("X-RateLimit-Weekly-Remaining-Credits", "600")
                            .containsEntry("X-RateLimit-Weekly-Reset", "2026-12-07T00:00:00Z");
                });

        clock.advance(Duration.ofHours(1));
        Reservation monday = billing.reserve(key, "m", "req-w4", Money.ofMicros(HOLD));
        assertThat(billing.windowsFor(monday).getFirst().remaining()).isEqualTo(Money.ofMicros(HOLD));
        assertThat(billing.windowsFor(monday).getFirst().reset()).isEqualTo(Instant.parse("2026-12-14T00:00:00Z"));
    }

    @Test
    void theMonthResetsOnTheFirst() {
        MutableClock clock = new MutableClock(Instant.parse("2027-01-31T23:59:59Z"));
        RequestBilling billing = billing(clock, new WindowLimit(Window.MONTHLY, Money.ofMicros(HOLD)));
        ApiKey key = f.account(1_000_000);

        billing.reserve(key, "m", "req-m1", Money.ofMicros(HOLD));
        assertThatThrownBy(() -> billing.reserve(key, "m", "req-m2", Money.ofMicros(HOLD)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.headers()).containsEntry("Retry-After", "1"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(billing.reserve(key, "m", "req-m3", Money.ofMicros(HOLD)).held()).isTrue();
    }

    @Test
    void theSessionResetsFiveHoursAfterItsFirstRequestNotItsLast() {
        Instant first = Instant.parse("2026-12-06T08:00:00Z");
        MutableClock clock = new MutableClock(first);
        RequestBilling billing = billing(clock, new WindowLimit(Window.SESSION, Money.ofMicros(2 * HOLD)));
        ApiKey key = f.account(1_000_000);

        billing.reserve(key, "m", "req-s1", Money.ofMicros(HOLD));
        clock.advance(Duration.ofHours(4));
        Reservation second = billing.reserve(key, "m", "req-s2", Money.ofMicros(HOLD));
        assertThat(billing.windowsFor(second).getFirst().reset()).isEqualTo(first.plus(Duration.ofHours(5)));
        assertThatThrownBy(() -> billing.reserve(key, "m", "req-s3", Money.ofMicros(HOLD)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.headers()).containsEntry("Retry-After", "3600")
                        .containsEntry("X-RateLimit-Session-Reset", "2026-12-06T13:00:00Z"));

        clock.advance(Duration.ofHours(1));
        Reservation next = billing.reserve(key, "m", "req-s4", Money.ofMicros(HOLD));
        assertThat(billing.windowsFor(next).getFirst().reset()).as("a new session from this request")
                .isEqualTo(Instant.parse("2026-12-06T18:00:00Z"));
    }

    private static RequestBilling billing(MutableClock clock, WindowLimit limit) {
        Plans plans = new Plans(Map.of("tight", new Plan("tight", List.of(limit))), "tight");
        SpendWindows windows = new SpendWindows(plans, new DynamoWindowStore(dynamo.client(), f.tables), clock, Duration.ZERO);
        return new RequestBilling(f.balances, clock, Duration.ofMinutes(20), "Top up.", null,
                new dev.tollgate.billing.BalanceCache<>(clock, Duration.ZERO), dev.tollgate.billing.Backoff.settlements(),
                dev.tollgate.billing.DebtObserver.NONE, windows);
    }

    /** Settles at {@code costMicros} (one prompt token at that many µ$ per token). */
    private static void settle(RequestBilling billing, Reservation reservation, long costMicros) {
        billing.settle(reservation, "m", new ModelPricing(new dev.tollgate.money.TokenPrice(costMicros * 1_000_000),
                dev.tollgate.money.TokenPrice.FREE), new TokenUsage(1, 0, 0, 0, false), "ok");
    }
}
