package dev.tollgate.billing;

/** Counters to add to one account's usage row for one day and model. */
public record UsageDelta(String accountId, String day, String model, long requests, long promptTokens,
                         long completionTokens, long costMicros) {
}
