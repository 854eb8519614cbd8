package dev.tollgate.ledger;

import dev.tollgate.money.Money;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A statement as CSV for spreadsheets and accounting tools: a header, an {@code opening_balance} line, one line per
 * movement with the running balance, a {@code closing_balance} line. Amounts are dollars with six decimals; the
 * amount column of the movement lines adds up to closing minus opening. Top-up, refund and dispute lines carry the
 * Stripe ids to match them against Stripe's payouts.
 */
public final class StatementCsv {

    public static final List<String> HEADER = List.of("time", "kind", "entry_id", "description", "amount_usd",
            "balance_usd", "debt_change_usd", "debt_usd", "request_id", "key_id", "model", "reference",
            "stripe_event", "stripe_checkout_session", "stripe_payment_intent");

    private StatementCsv() {
    }

    public static String of(Statement statement) {
        Csv csv = new Csv().row(HEADER);
        csv.row(summary(statement.start().toString(), "opening_balance", statement.openingBalance(), statement.openingDebt()));
        for (Statement.Line line : statement.lines()) {
            Movement m = line.movement();
            Movement.StripeIds stripe = m.stripe();
            csv.row(Arrays.asList(m.at().toString(), m.kind().wire(), m.entryId(), m.description(), Csv.money(m.amount()),
                    Csv.money(line.balance()), Csv.money(m.debtChange()), Csv.money(line.debt()), m.requestId(),
                    m.keyId(), m.model(), m.reference(), stripe == null ? null : stripe.eventId(),
                    stripe == null ? null : stripe.checkoutSessionId(), stripe == null ? null : stripe.paymentIntentId()));
        }
        csv.row(summary(statement.end().toString(), "closing_balance", statement.closingBalance(), statement.closingDebt()));
        return csv.toString();
    }

    private static List<Object> summary(String time, String kind, Money balance, Money debt) {
        List<Object> row = new ArrayList<>(Arrays.asList(new Object[HEADER.size()]));
        row.set(0, time);
        row.set(1, kind);
        row.set(5, Csv.money(balance));
        row.set(7, Csv.money(debt));
        return row;
    }
}
