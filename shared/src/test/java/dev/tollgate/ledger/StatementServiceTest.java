package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The statement's arithmetic on an in-memory ledger: anchored to the account's totals, whatever happened before. */
class StatementServiceTest {

    static final Instant T = Instant.parse("2026-05-01T00:00:00Z");
    final MutableClock clock = new MutableClock(T.plusSeconds(3600));
    final Ledger ledger = new Ledger();
    final StatementService service = new StatementService(ledger, clock);
    final ApiKey management = key(KeyRole.MANAGEMENT);

    @Test
    void rowsRunFromTheOpeningBalanceToTheAccountsBalanceCountingWhatIsHeld() {
        ledger.add("old", T.minusSeconds(10), MovementKind.TOPUP, 5_000_000, 0); // before the period
        ledger.add("r1", T.plusSeconds(10), MovementKind.REQUEST, -1_000, 0);
        ledger.add("t1", T.plusSeconds(20), MovementKind.TOPUP, 2_000_000, 0);
        ledger.totals = new LedgerTotals(Money.ofMicros(6_990_000), Money.ofMicros(9_000), Money.ZERO);

        Statement s = service.statement(management, T.toString(), null);

        assertThat(s.openingBalance()).isEqualTo(Money.ofMicros(5_000_000));
        assertThat(s.lines()).extracting(l -> l.balance().micros()).containsExactly(4_999_000L, 6_999_000L);
        assertThat(s.closingBalance()).isEqualTo(Money.ofMicros(6_999_000)).isEqualTo(s.now().ledgerBalance());
        assertThat(s.endIsNow()).isTrue();
        assertThat(s.end()).isEqualTo(clock.instant());
        assertThat(s.totals()).containsEntry(MovementKind.TOPUP, Money.ofMicros(2_000_000))
                .containsEntry(MovementKind.REQUEST, Money.ofMicros(-1_000));
    }

    @Test
    void aPastPeriodClosesAtTheBalanceBeforeWhatCameAfterIt() {
        ledger.add("r1", T.plusSeconds(10), MovementKind.REQUEST, -1_000, 0);
        ledger.add("d1", T.plusSeconds(20), MovementKind.REFUND, -500_000, 250_000);
        ledger.totals = new LedgerTotals(Money.ZERO, Money.ZERO, Money.ofMicros(250_000));

        Statement s = service.statement(management, T.toString(), T.plusSeconds(15).toString());

        assertThat(s.lines()).extracting(l -> l.movement().entryId()).containsExactly("r1");
        assertThat(s.closingBalance()).isEqualTo(Money.ofMicros(500_000));
        assertThat(s.openingBalance()).isEqualTo(Money.ofMicros(501_000));
        assertThat(s.closingDebt()).isEqualTo(Money.ZERO);
        assertThat(s.endIsNow()).isFalse();
    }

    @Test
    void atOneInstantCreditsComeBeforeDebitsSoTheBalanceNeverDipsBetweenATopUpAndTheDebtItPays() {
        ledger.add("topup:t:debt", T.plusSeconds(5), MovementKind.DEBT_REPAYMENT, -3_000_000, -3_000_000);
        ledger.add("topup:t", T.plusSeconds(5), MovementKind.TOPUP, 10_000_000, 0);
        ledger.totals = new LedgerTotals(Money.ofMicros(7_000_000), Money.ZERO, Money.ZERO);

        Statement s = service.statement(management, T.toString(), null);

        assertThat(s.lines()).extracting(l -> l.movement().kind()).containsExactly(MovementKind.TOPUP, MovementKind.DEBT_REPAYMENT);
        assertThat(s.lines()).extracting(l -> l.balance().micros()).containsExactly(10_000_000L, 7_000_000L);
        assertThat(s.lines()).extracting(l -> l.debt().micros()).containsExactly(3_000_000L, 0L);
        assertThat(s.openingDebt()).isEqualTo(Money.ofMicros(3_000_000));
    }

    @Test
    void theLedgerIsReadAgainWhileTheAccountChangesUnderTheRead() {
        ledger.add("r1", T.plusSeconds(10), MovementKind.REQUEST, -1_000, 0);
        ledger.totals = new LedgerTotals(Money.ofMicros(999_000), Money.ZERO, Money.ZERO);
        // A request settles while the first read runs: its entry and the totals after it are what the second read sees.
        ledger.duringRead = () -> {
            ledger.duringRead = null;
            ledger.add("r2", T.plusSeconds(11), MovementKind.REQUEST, -2_000, 0);
            ledger.totals = new LedgerTotals(Money.ofMicros(997_000), Money.ZERO, Money.ZERO);
        };

        Statement s = service.statement(management, T.toString(), null);

        assertThat(ledger.reads).isEqualTo(2);
        assertThat(s.lines()).hasSize(2);
        assertThat(s.openingBalance()).isEqualTo(Money.ofMicros(1_000_000));
        assertThat(s.closingBalance()).isEqualTo(Money.ofMicros(997_000));
    }

    @Test
    void refusals() {
        ledger.totals = new LedgerTotals(Money.ZERO, Money.ZERO, Money.ZERO);
        assertThatThrownBy(() -> service.statement(key(KeyRole.INFERENCE), null, null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(() -> service.statement(management, "2026-05-02", "2026-05-01"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("start"));
        assertThatThrownBy(() -> service.statement(management, "soon", null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("start"));
        ledger.truncate = true;
        assertThatThrownBy(() -> service.statement(management, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("shorter period"));
        ledger.totals = null;
        assertThatThrownBy(() -> service.ofAccount("acct_missing", null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void theDefaultPeriodIsTheLast30Days() {
        ledger.totals = new LedgerTotals(Money.ZERO, Money.ZERO, Money.ZERO);
        Statement s = service.statement(management, null, "2999-01-01");
        assertThat(s.start()).isEqualTo(clock.instant().minus(StatementService.DEFAULT_PERIOD));
        assertThat(s.endIsNow()).as("an end in the future is now").isTrue();
    }

    static ApiKey key(KeyRole role) {
        return ApiKey.create("key_1", "acct_1", KeySecret.generate(), "k", role, T);
    }

    /** An in-memory ledger history: movements by time, totals as set. */
    static final class Ledger implements LedgerHistory {
        final List<Movement> movements = new ArrayList<>();
        LedgerTotals totals;
        Runnable duringRead;
        boolean truncate;
        int reads;

        void add(String id, Instant at, MovementKind kind, long amount, long debt) {
            movements.add(new Movement(id, at, kind, Money.ofMicros(amount), Money.ofMicros(debt), kind.wire(), null, null,
                    null, null, null));
        }

        @Override
        public Optional<LedgerTotals> totals(String accountId) {
            return Optional.ofNullable(totals);
        }

        @Override
        public Period read(String accountId, Instant from, Instant to, int maxRows) {
            reads++;
            List<Movement> rows = movements.stream().filter(m -> !m.at().isBefore(from) && (to == null || m.at().isBefore(to)))
                    .toList();
            Money later = movements.stream().filter(m -> to != null && !m.at().isBefore(to)).map(Movement::amount)
                    .reduce(Money.ZERO, Money::plus);
            Money laterDebt = movements.stream().filter(m -> to != null && !m.at().isBefore(to)).map(Movement::debtChange)
                    .reduce(Money.ZERO, Money::plus);
            if (duringRead != null) {
                duringRead.run();
            }
            return new Period(rows, truncate, later, laterDebt);
        }
    }
}
