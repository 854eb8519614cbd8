package dev.tollgate.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of US dollars as an integer number of micro-dollars (1 µ$ = $0.000001).
 *
 * <p>This is the only money type in Tollgate. It never holds a fraction of a micro-dollar and is never
 * converted through floating point: dollars are parsed and printed with {@link BigDecimal}.
 */
public record Money(long micros) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);
    private static final int SCALE = 6;

    public static Money ofMicros(long micros) {
        return micros == 0 ? ZERO : new Money(micros);
    }

    /**
     * Parses a dollar amount such as {@code "5.00"} or {@code "0.000120"}.
     *
     * @throws IllegalArgumentException if the text is not a plain decimal or has more than six decimals
     */
    public static Money parseDollars(String dollars) {
        if (dollars == null || !dollars.matches("-?\\d{1,12}(\\.\\d{1,6})?")) {
            throw new IllegalArgumentException(
                    "must be a dollar amount with at most 6 decimals, like \"5.00\", got: " + dollars);
        }
        return ofMicros(new BigDecimal(dollars).movePointRight(SCALE).longValueExact());
    }

    public static Money ofDollars(BigDecimal dollars) {
        return ofMicros(dollars.setScale(SCALE, RoundingMode.UNNECESSARY).movePointRight(SCALE).longValueExact());
    }

    public Money plus(Money other) {
        return ofMicros(Math.addExact(micros, other.micros));
    }

    public Money minus(Money other) {
        return ofMicros(Math.subtractExact(micros, other.micros));
    }

    public Money negate() {
        return ofMicros(Math.negateExact(micros));
    }

    public Money min(Money other) {
        return micros <= other.micros ? this : other;
    }

    public Money max(Money other) {
        return micros >= other.micros ? this : other;
    }

    public boolean isZero() {
        return micros == 0;
    }

    public boolean isNegative() {
        return micros < 0;
    }

    public boolean isPositive() {
        return micros > 0;
    }

    public boolean lessThan(Money other) {
        return micros < other.micros;
    }

    /** Dollars with exactly six decimals, e.g. {@code "4.999880"}: the form every API response uses. */
    public String toDollars() {
        return BigDecimal.valueOf(micros, SCALE).toPlainString();
    }

    /** Dollars for people, e.g. {@code "$0.000120"}. */
    public String display() {
        return (micros < 0 ? "-$" : "$") + BigDecimal.valueOf(Math.abs(micros), SCALE).toPlainString();
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(micros, other.micros);
    }

    @Override
    public String toString() {
        return display();
    }
}
