package dev.tollgate.billing;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import java.time.LocalDate;
import java.util.List;

/**
 * What GET /v1/usage answers: the account balance, the calling key's budget, and the account's usage
 * for a period of UTC days, in total and broken down by day and by model.
 *
 * @param debt   what the account owes after refunds or lost disputes took back more than its balance held
 *               (read with the balance); while it is above zero the account's requests are refused
 * @param key    the calling key as stored now (not as cached for authentication)
 * @param byDay  days with usage only, oldest first
 * @param byModel models with usage in the period, by id
 */
public record UsageReport(String accountId, Money balance, Money debt, ApiKey key, LocalDate start, LocalDate end, Totals totals,
                          List<Bucket> byDay, List<Bucket> byModel) {

    /** Counters summed over some usage rows. */
    public record Totals(long requests, long promptTokens, long completionTokens, Money cost) {

        public static final Totals ZERO = new Totals(0, 0, 0, Money.ZERO);

        public static Totals of(UsageRow row) {
            return new Totals(row.requests(), row.promptTokens(), row.completionTokens(), row.cost());
        }

        public Totals plus(Totals other) {
            return new Totals(Math.addExact(requests, other.requests), Math.addExact(promptTokens, other.promptTokens),
                    Math.addExact(completionTokens, other.completionTokens), cost.plus(other.cost));
        }

        public long totalTokens() {
            return Math.addExact(promptTokens, completionTokens);
        }
    }

    /** The totals of one day ({@code yyyy-MM-dd}) or one model. */
    public record Bucket(String label, Totals totals) {
    }
}
