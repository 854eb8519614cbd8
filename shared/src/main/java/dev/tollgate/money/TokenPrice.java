package dev.tollgate.money;

import java.math.BigDecimal;

/**
 * A price per token, held as an integer number of micro-dollars per million tokens, so $0.20 per
 * million tokens is {@code 200_000}. Prices are never rounded: only a request's total is, once, in
 * {@link ModelPricing#cost}.
 */
public record TokenPrice(long microsPerMillion) {

    public static final TokenPrice FREE = new TokenPrice(0);

    public TokenPrice {
        if (microsPerMillion < 0) {
            throw new IllegalArgumentException("a token price cannot be negative");
        }
    }

    /** Parses a price in dollars per million tokens, e.g. {@code "0.20"}. */
    public static TokenPrice perMillionDollars(String dollarsPerMillion) {
        return new TokenPrice(Money.parseDollars(dollarsPerMillion).micros());
    }

    public boolean isFree() {
        return microsPerMillion == 0;
    }

    /** Dollars per single token as a plain decimal string, e.g. {@code "0.0000002"}. */
    public String dollarsPerToken() {
        return plain(BigDecimal.valueOf(microsPerMillion, 12));
    }

    /** Dollars per million tokens, e.g. {@code "0.20"}. */
    public String dollarsPerMillion() {
        BigDecimal value = BigDecimal.valueOf(microsPerMillion, 6).stripTrailingZeros();
        return value.scale() < 2 ? value.setScale(2).toPlainString() : value.toPlainString();
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.signum() == 0 ? "0" : stripped.toPlainString();
    }
}
