package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyStore;
import dev.tollgate.money.Money;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * GET /v1/usage for any key of an account: the balance and any debt, the key's budget and what is left of it, and
 * the account's usage counters (bumped in the same write as each settlement, so they agree with the
 * ledger) summed over a period of UTC days.
 */
public final class UsageService {

    /** The default period: the last 30 days, today (UTC) included. */
    public static final int DEFAULT_DAYS = 30;
    /** The longest period one call may ask for: a year, leap day included. */
    public static final int MAX_DAYS = 366;

    private final UsageStore usage;
    private final BalanceStore balances;
    private final KeyStore keys;
    private final Clock clock;

    public UsageService(UsageStore usage, BalanceStore balances, KeyStore keys, Clock clock) {
        this.usage = usage;
        this.balances = balances;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * @param start first day, {@code yyyy-MM-dd}, or null for {@value #DEFAULT_DAYS} days before {@code end}
     * @param end   last day (included), or null for today in UTC
     */
    public UsageReport report(ApiKey caller, String start, String end) {
        LocalDate to = end == null || end.isBlank() ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : day("end", end);
        LocalDate from = start == null || start.isBlank() ? to.minusDays(DEFAULT_DAYS - 1L) : day("start", start);
        if (from.isAfter(to)) {
            throw ApiException.invalid("start", "'start' (" + from + ") is after 'end' (" + to + "). Both days are included; "
                    + "leave 'end' out for today.");
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            throw ApiException.invalid("start", "The period " + from + " to " + to + " is " + days + " days; at most "
                    + MAX_DAYS + " fit in one call. Ask for a shorter period and add the results up.");
        }
        List<UsageRow> rows = usage.usage(caller.accountId(), from, to);
        ApiKey key = keys.findByHash(caller.secretHash()).orElse(caller);
        BalanceStore.Funds funds = balances.funds(caller.accountId()).orElse(new BalanceStore.Funds(Money.ZERO, Money.ZERO));
        UsageReport.Totals totals = rows.stream().map(UsageReport.Totals::of)
                .reduce(UsageReport.Totals.ZERO, UsageReport.Totals::plus);
        return new UsageReport(caller.accountId(), funds.balance(), funds.debt(), key, from, to, totals,
                buckets(rows, UsageRow::day), buckets(rows, UsageRow::model));
    }

    /**
     * The rows {@link #report} sums (one per UTC day and model with usage), for the last {@code days} days, today
     * included: the console's spend chart, stacked by model.
     */
    public List<UsageRow> daily(ApiKey caller, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be 1.." + MAX_DAYS + ", got " + days);
        }
        LocalDate to = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return usage.usage(caller.accountId(), to.minusDays(days - 1L), to);
    }

    /** Rows summed per label, labels in natural order (ISO dates sort by time). */
    private static List<UsageReport.Bucket> buckets(List<UsageRow> rows, Function<UsageRow, String> label) {
        Map<String, UsageReport.Totals> sums = new TreeMap<>();
        for (UsageRow row : rows) {
            sums.merge(label.apply(row), UsageReport.Totals.of(row), UsageReport.Totals::plus);
        }
        return sums.entrySet().stream().map(e -> new UsageReport.Bucket(e.getKey(), e.getValue())).toList();
    }

    /** A day of years 1970–9999: farther ones parse, but date arithmetic on them overflows (a 500 before). */
    private static LocalDate day(String param, String value) {
        try {
            LocalDate day = LocalDate.parse(value.strip());
            if (day.getYear() < 1970 || day.getYear() > 9999) {
                throw ApiException.invalid(param, "'" + param + "' must be a day between 1970-01-01 and 9999-12-31, got '"
                        + value + "'.");
            }
            return day;
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(param, "'" + param + "' must be a day like 2026-01-31 (YYYY-MM-DD, UTC), got '"
                    + value + "'.");
        }
    }
}
