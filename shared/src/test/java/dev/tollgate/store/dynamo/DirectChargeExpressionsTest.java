package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins the expression added for direct charges (in-process embeddings). The charge itself reuses the pinned
 * account and key debits ({@code balance >= :amount}, {@code remaining >= :amount}), the ledger's
 * once-per-id condition and the usage counters, so only its reversal needs a new one.
 */
class DirectChargeExpressionsTest {

    @Test
    void aReversedChargeTakesItsTokensAndCostOutOfTheCountersButNotTheRequest() {
        assertThat(BalanceWrites.UNCOUNT_USAGE).isEqualTo("ADD promptTokens :p, completionTokens :c, costMicros :cost");
    }
}
