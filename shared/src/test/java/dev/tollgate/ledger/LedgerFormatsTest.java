package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.error.ApiException;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Time parameters, cursors, movement kinds and CSV: the small formats of the request log and the statement. */
class LedgerFormatsTest {

    @Test
    void timesAreInstantsDaysOrUnixSeconds() {
        assertThat(TimeParams.parse("start", "2026-01-31T12:00:00Z", false)).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(TimeParams.parse("start", "2026-01-31T13:00:00+01:00", false)).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(TimeParams.parse("start", "2026-01-31T12:00:00", false)).as("UTC").isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(TimeParams.parse("start", "2026-01-31", false)).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        assertThat(TimeParams.parse("end", "2026-01-31", true)).as("the end of the day").isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(TimeParams.parse("start", "1769860800", false)).isEqualTo(Instant.ofEpochSecond(1769860800));
        assertThat(TimeParams.parse("start", " ", false)).isNull();
        for (String bad : List.of("tomorrow", "2026-02-30", "-5", "99999999999999", "1e9", "2026-01-31T25:00:00Z", "10000-01-01",
                "2026-01-31T12:00:00Z".repeat(3))) {
            assertThatThrownBy(() -> TimeParams.parse("end", bad, true)).as(bad).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.param()).isEqualTo("end"));
        }
    }

    @Test
    void aCursorRoundTripsAndAnythingElseIsA400() {
        LedgerCursor cursor = new LedgerCursor("2026-01-31T12:00:00.000000000Z", "req_abc");
        assertThat(LedgerCursor.decode(cursor.encode(), "after")).isEqualTo(cursor);
        assertThat(cursor.encode()).doesNotContain("=", "+", "/");
        for (String bad : List.of("", "%%%", "MXx4fHk", new LedgerCursor("not a time", "r").encode(),
                new LedgerCursor("2026-01-31T12:00:00Z", "r\u0001").encode())) {
            assertThatThrownBy(() -> LedgerCursor.decode(bad, "after")).as(bad).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void movementKindsComeFromTheEntrysTypeAndItsIdempotencyKey() {
        assertThat(MovementKind.of(LedgerType.CHARGE, "req_1")).isEqualTo(MovementKind.REQUEST);
        assertThat(MovementKind.of(LedgerType.CHARGE, "req_1#reversed")).isEqualTo(MovementKind.REQUEST_REVERSAL);
        assertThat(MovementKind.of(LedgerType.TOPUP, "topup:t")).isEqualTo(MovementKind.TOPUP);
        assertThat(MovementKind.of(LedgerType.REFUND, "topup:t:debt")).isEqualTo(MovementKind.DEBT_REPAYMENT);
        assertThat(MovementKind.of(LedgerType.REFUND, "debt:req_1")).isEqualTo(MovementKind.DEBT_REPAYMENT);
        assertThat(MovementKind.of(LedgerType.REFUND, "stripe:evt_1")).isEqualTo(MovementKind.REFUND);
        assertThat(MovementKind.of(LedgerType.REFUND, "stripe-dispute:du_1")).isEqualTo(MovementKind.DISPUTE);
        assertThat(MovementKind.of(LedgerType.REFUND, "stripe-dispute:du_1:released")).isEqualTo(MovementKind.DISPUTE_RELEASED);
        assertThat(MovementKind.of(LedgerType.REFUND, "stripe-refund-failed:re_1")).isEqualTo(MovementKind.REFUND_RETURNED);
        assertThat(MovementKind.of(LedgerType.ADMIN_CREDIT, "open:acct")).isEqualTo(MovementKind.ADMIN_CREDIT);
        assertThat(MovementKind.of(LedgerType.ADMIN_DEBIT, "admin:r")).isEqualTo(MovementKind.ADMIN_DEBIT);
    }

    @Test
    void csvQuotesWhatNeedsItAndDefusesFormulasButNotNegativeAmounts() {
        RequestRecord r = new RequestRecord("req_1", "acct", Instant.parse("2026-01-31T12:00:00Z"), "key_1",
                "=HYPERLINK(\"x\"),\"y\"", "m,1", null, true, new TokenUsage(1, 2, 0, 0, false), Money.ofMicros(120),
                Money.ofMicros(120), Money.ofMicros(-1), Money.ZERO, 5, "ok", false, false);

        String csv = RequestCsv.header() + RequestCsv.rows(List.of(r));

        assertThat(csv).startsWith("time,request_id,key_id,key_name,model,route,streamed,").contains("\r\n");
        assertThat(csv).contains(",\"'=HYPERLINK(\"\"x\"\"),\"\"y\"\"\",\"m,1\",,true,ok,false,false,1,2,0,0,0.000120,0.000120,-0.000001,");
    }
}
