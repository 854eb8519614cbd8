package dev.tollgate.bench.costs;

import java.math.BigDecimal;

/**
 * One AWS price in US East (N. Virginia), on-demand, without free tiers or savings plans.
 *
 * @param name   what is priced
 * @param usd    dollars per {@code unit}
 * @param unit   e.g. "per million requests"
 * @param source where it was read (the stored copy of that page), and anything to know about it
 */
public record Price(String name, BigDecimal usd, String unit, String source) {

    /** When every price here was read. */
    public static final String READ_ON = "2026-12-06";

    static Price of(String name, String usd, String unit, String source) {
        return new Price(name, new BigDecimal(usd), unit, source);
    }
}
