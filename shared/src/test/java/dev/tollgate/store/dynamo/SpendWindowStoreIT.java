package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Hold;
import dev.tollgate.billing.HoldReconciler;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowExceededException;
import dev.tollgate.windows.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spend windows in the reserve and settle transactions against DynamoDB Local: exact under concurrency from two
 * store instances (two application instances, each with its own session guesses), each window's reset at its
 * boundary with the time of the hold as the clock, and what settlement and the reconciler give back.
 */
class SpendWindowStoreIT {

    private static final long HOLD = 1_000;

    private static LocalDynamo dynamo;
    private static BalanceFixture f;
    private static DynamoBalanceStore other;
    private static DynamoWindowStore windows;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
        other = new DynamoBalanceStore(dynamo.client(), f.tables);
        windows = new DynamoWindowStore(dynamo.client(), f.tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void tenTimesNRequestsFromTwoInstancesAgainstAWindowForNTakeExactlyN() throws Exception {
        int n = 12;
        ApiKey key = f.account(1_000_000);
        List<SpendWindow> daily = List.of(plan(key, Window.DAILY, n * HOLD));
        Instant at = Instant.parse("2026-12-06T10:00:00Z");

        List<Object> results = race(10 * n, i -> () -> (i % 2 == 0 ? f.balances : other).reserve(hold(key, HOLD, at), daily, null));

        long taken = results.stream().filter(Hold.class::isInstance).count();
        assertThat(taken).isEqualTo(n);
        assertThat(results).filteredOn(r -> !(r instanceof Hold)).allSatisfy(r -> {
            assertThat(r).isInstanceOf(WindowExceededException.class);
            assertThat(((WindowExceededException) r).window().window()).isEqualTo(Window.DAILY);
            assertThat(((WindowExceededException) r).reset()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        });
        assertThat(used(daily, at)).isEqualTo(n * HOLD);
        assertThat(f.balance(key.accountId())).as("only the holds taken left the balance").isEqualTo(1_000_000 - n * HOLD);
    }

    @Test
    void settlementGivesBackWhatTheHoldDidNotUseAndTheWindowTakesMoreAgain() throws Exception {
        ApiKey key = f.account(1_000_000);
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        List<SpendWindow> both = List.of(plan(key, Window.DAILY, 3 * HOLD), own(key, Window.WEEKLY, 10 * HOLD));
        Hold first = f.balances.reserve(hold(key, HOLD, at), both, null);
        Hold second = f.balances.reserve(hold(key, HOLD, at), both, null);
        Hold third = f.balances.reserve(hold(key, HOLD, at), both, null);
        assertThat(first.counters().windowItems()).hasSize(2);
        assertThatThrownBy(() -> f.balances.reserve(hold(key, HOLD, at), both, null))
                .isInstanceOfSatisfying(WindowExceededException.class, e -> {
                    assertThat(e.used()).isEqualTo(Money.ofMicros(3 * HOLD));
                    assertThat(e.window().scope()).isEqualTo(SpendWindow.Scope.ACCOUNT);
                });

        f.balances.settle(first, charge(first, 400, at));
        f.balances.settle(second, charge(second, 1_000, at));
        f.balances.settle(third, charge(third, 1_500, at)); // beyond its hold: the window counts what was charged

        assertThat(usedAll(both, at)).containsExactly(2_900L, 2_900L);
        assertThatThrownBy(() -> f.balances.reserve(hold(key, 200, at), both, null))
                .isInstanceOf(WindowExceededException.class);
        assertThat(f.balances.reserve(hold(key, 100, at), both, null)).isNotNull();
    }

    @Test
    void aHoldAboveTheWholeLimitIsRefusedWithoutAWrite() throws Exception {
        ApiKey key = f.account(1_000_000);
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        List<SpendWindow> daily = List.of(own(key, Window.DAILY, HOLD - 1));
        assertThatThrownBy(() -> f.balances.reserve(hold(key, HOLD, at), daily, null))
                .isInstanceOfSatisfying(WindowExceededException.class, e -> assertThat(e.used()).isNull());
        assertThat(f.balance(key.accountId())).isEqualTo(1_000_000);
        assertThat(used(daily, at)).isEqualTo(0L);
    }

    @Test
    void theDailyWindowResetsAtUtcMidnight() throws Exception {
        assertResetsAt(Window.DAILY, Instant.parse("2026-12-06T23:59:59Z"), Instant.parse("2026-12-07T00:00:00Z"));
    }

    @Test
    void theWeeklyWindowResetsOnMondayAtMidnightUtc() throws Exception {
        assertResetsAt(Window.WEEKLY, Instant.parse("2026-12-06T23:59:59.999Z"), Instant.parse("2026-12-07T00:00:00Z"));
    }

    @Test
    void theMonthlyWindowResetsOnTheFirstOfTheMonth() throws Exception {
        assertResetsAt(Window.MONTHLY, Instant.parse("2027-02-28T23:59:59Z"), Instant.parse("2027-03-01T00:00:00Z"));
    }

    /** Full just before {@code boundary}, open again at it; the refusal and the state say when. */
    private void assertResetsAt(Window window, Instant before, Instant boundary) throws Exception {
        ApiKey key = f.account(1_000_000);
        List<SpendWindow> spend = List.of(plan(key, window, 2 * HOLD));
        f.balances.reserve(hold(key, HOLD, before.minus(Duration.ofHours(20))), spend, null);
        f.balances.reserve(hold(key, HOLD, before), spend, null);
        assertThatThrownBy(() -> f.balances.reserve(hold(key, HOLD, before), spend, null))
                .isInstanceOfSatisfying(WindowExceededException.class, e -> assertThat(e.reset()).isEqualTo(boundary));
        WindowUsage full = windows.read(spend, before).getFirst();
        assertThat(full.remaining()).isEqualTo(Money.ZERO);
        assertThat(full.reset()).isEqualTo(boundary);

        WindowUsage fresh = windows.read(spend, boundary).getFirst();
        assertThat(fresh.used()).isEqualTo(Money.ZERO);
        assertThat(f.balances.reserve(hold(key, HOLD, boundary), spend, null)).isNotNull();
        assertThat(f.balances.reserve(hold(key, HOLD, boundary), spend, null)).isNotNull();
    }

    @Test
    void aSessionStartsAtItsFirstRequestAndEndsFiveHoursLater() throws Exception {
        ApiKey key = f.account(1_000_000);
        Instant first = Instant.parse("2026-12-06T09:17:00Z");
        List<SpendWindow> session = List.of(plan(key, Window.SESSION, 2 * HOLD));
        assertThat(windows.read(session, first.minusSeconds(60)).getFirst().reset())
                .as("no session yet: one starting now would end in five hours").isEqualTo(first.minusSeconds(60).plus(Window.SESSION_LENGTH));

        f.balances.reserve(hold(key, HOLD, first), session, null);
        Instant later = first.plus(Duration.ofHours(4).plusMinutes(59));
        other.reserve(hold(key, HOLD, later), session, null); // the other instance joins the open session
        assertThatThrownBy(() -> f.balances.reserve(hold(key, HOLD, later), session, null))
                .isInstanceOfSatisfying(WindowExceededException.class,
                        e -> assertThat(e.reset()).isEqualTo(first.plus(Window.SESSION_LENGTH)));
        assertThat(windows.read(session, later).getFirst().reset()).isEqualTo(Instant.parse("2026-12-06T14:17:00Z"));

        Instant next = first.plus(Window.SESSION_LENGTH);
        Hold opened = other.reserve(hold(key, HOLD, next), session, null);
        assertThat(opened.counters().windowItems().getFirst()).endsWith(next.toString());
        WindowUsage now = windows.read(session, next.plusSeconds(1)).getFirst();
        assertThat(now.used()).isEqualTo(Money.ofMicros(HOLD));
        assertThat(now.reset()).isEqualTo(next.plus(Window.SESSION_LENGTH));
        // The first instance still believes in the old session: the pointer corrects it, and it counts in the new one.
        assertThat(f.balances.reserve(hold(key, HOLD, next.plusSeconds(2)), session, null).counters().windowItems())
                .isEqualTo(opened.counters().windowItems());
    }

    /** Regression: a session opened at a clock reading finer than a millisecond was read back as another, empty one. */
    @Test
    void aSessionOpenedBetweenMillisecondsIsReadBackWithItsUse() throws Exception {
        ApiKey key = f.account(1_000_000);
        Instant at = Instant.parse("2026-12-06T10:00:00.123456789Z");
        List<SpendWindow> session = List.of(plan(key, Window.SESSION, 10 * HOLD));
        f.balances.reserve(hold(key, HOLD, at), session, null);
        WindowUsage usage = windows.read(session, at.plusSeconds(1)).getFirst();
        assertThat(usage.used()).isEqualTo(Money.ofMicros(HOLD));
        assertThat(usage.reset()).isEqualTo(Instant.parse("2026-12-06T15:00:00.123Z"));
    }

    @Test
    void requestsOpeningASessionAtOnceOnTwoInstancesAllLandInTheSameSession() throws Exception {
        ApiKey key = f.account(1_000_000);
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        List<SpendWindow> session = List.of(own(key, Window.SESSION, 1_000 * HOLD));

        // Each request believes it opens the session at its own millisecond.
        List<Object> results = race(20, i -> () -> (i % 2 == 0 ? f.balances : other)
                .reserve(hold(key, HOLD, at.plusMillis(i)), session, null));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Hold.class));
        assertThat(results.stream().map(r -> ((Hold) r).counters().windowItems().getFirst()).distinct()).hasSize(1);
        assertThat(windows.read(session, at.plusSeconds(1)).getFirst().used()).isEqualTo(Money.ofMicros(20 * HOLD));
    }

    @Test
    void theReconcilerGivesAnExpiredHoldBackToItsWindows() throws Exception {
        ApiKey key = f.account(1_000_000);
        // Earlier than every other hold here, so the reconciler closes only these two.
        Instant at = Instant.parse("2020-01-06T10:00:00Z");
        List<SpendWindow> daily = List.of(plan(key, Window.DAILY, 5 * HOLD), own(key, Window.DAILY, 4 * HOLD));
        Hold crashed = f.balances.reserve(new Hold(Ids.newId("req"), key.accountId(), key.keyId(), key.secretHash(), true,
                Money.ofMicros(HOLD), BalanceFixture.MODEL, at, at.plusSeconds(60)), daily, null);
        Hold delivered = f.balances.reserve(new Hold(Ids.newId("req"), key.accountId(), key.keyId(), key.secretHash(), true,
                Money.ofMicros(HOLD), BalanceFixture.MODEL, at, at.plusSeconds(60)), daily, null);
        f.balances.recordProgress(delivered, charge(delivered, 300, at), false);
        assertThat(usedAll(daily, at)).containsExactly(2 * HOLD, 2 * HOLD);

        MutableClock clock = new MutableClock(at.plusSeconds(61));
        new HoldReconciler(f.balances, clock, 100).releaseExpired();

        assertThat(usedAll(daily, at)).as("released whole; charged 300 of 1000").containsExactly(300L, 300L);
    }

    private static SpendWindow plan(ApiKey key, Window window, long limit) {
        return new SpendWindow(SpendWindow.Scope.ACCOUNT, key.accountId(), window, Money.ofMicros(limit), "pro");
    }

    private static SpendWindow own(ApiKey key, Window window, long limit) {
        return new SpendWindow(SpendWindow.Scope.KEY, key.keyId(), window, Money.ofMicros(limit), "key");
    }

    private static Hold hold(ApiKey key, long amount, Instant at) {
        return new Hold(Ids.newId("req"), key.accountId(), key.keyId(), key.secretHash(), true, Money.ofMicros(amount),
                BalanceFixture.MODEL, at, at.plus(Duration.ofMinutes(20)));
    }

    private static Charge charge(Hold hold, long cost, Instant at) {
        return new Charge(hold.holdId(), hold.accountId(), hold.keyId(), hold.model(), new TokenUsage(10, 5, 0, 0, false),
                Money.ofMicros(cost), "ok", 100, at.plusSeconds(1));
    }

    private static long used(List<SpendWindow> spend, Instant at) {
        return windows.read(spend, at).getFirst().used().micros();
    }

    private static List<Long> usedAll(List<SpendWindow> spend, Instant at) {
        return windows.read(spend, at).stream().map(u -> u.used().micros()).toList();
    }
}
