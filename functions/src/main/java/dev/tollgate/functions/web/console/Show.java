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

    /** Rounded to cents from a dollar up, else to at most 6 decimals, e.g. {@code $12.35}, {@code $0.000124}. */
    public static String money(Money money) {
        if (money == null) {
            return "—";
        }
        BigDecimal dollars = BigDecimal.valueOf(Math.abs(money.micros()), 6);
        BigDecimal shown = dollars.compareTo(BigDecimal.ONE) >= 0 || dollars.signum() == 0
                ? dollars.setScale(2, RoundingMode.HALF_UP)
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
