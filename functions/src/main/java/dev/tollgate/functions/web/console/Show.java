package dev.tollgate.functions.web.console;

import dev.tollgate.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the console writes money and times for people. Exact amounts stay six-decimal, as the API and CSVs have them. */
public final class Show {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Show() {
    }

    /** Exact, e.g. {@code $4.999880}. */
    public static String exact(Money money) {
        return money == null ? "—" : money.display();
    }

    /**
     * Cut to cents from a dollar up (never shows more than there is: $11.999997 is $11.99), else at most 6 decimals,
     * e.g. {@code $0.000124}. The exact amount is shown beside balances.
     */
    public static String money(Money money) {
        if (money == null) {
            return "—";
        }
        BigDecimal dollars = BigDecimal.valueOf(Math.abs(money.micros()), 6);
        BigDecimal shown = dollars.compareTo(BigDecimal.ONE) >= 0 || dollars.signum() == 0
                ? dollars.setScale(2, RoundingMode.DOWN)
                : dollars.stripTrailingZeros();
        if (shown.scale() < 2) {
            shown = shown.setScale(2, RoundingMode.UNNECESSARY);
        }
        return (money.isNegative() ? "-$" : "$") + shown.toPlainString();
    }

    public static String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }
}
