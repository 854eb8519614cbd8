package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins the expressions of spend windows, sessions and per-minute counters (STYLE.md 4): loosening
 * {@code used <= :max} would let a window take more than its limit.
 */
class CounterExpressionsTest {

    @Test
    void aWindowTakesAHoldOnlyIfItsUseLeavesRoomForIt() {
        assertThat(CounterItems.COUNT_WINDOW).isEqualTo("ADD used :amount SET #ttl = :ttl, windowEnd = :end");
        assertThat(CounterItems.COUNT_WINDOW_IF).isEqualTo("attribute_not_exists(used) OR used <= :max");
        assertThat(CounterItems.ADJUST_WINDOW).isEqualTo("ADD used :delta");
    }

    @Test
    void aSessionIsJoinedOrOpenedOnlyWhenTheLastOneEnded() {
        assertThat(CounterItems.OPEN_SESSION).isEqualTo("SET sessionStart = :start, #ttl = :ttl");
        assertThat(CounterItems.OPEN_SESSION_IF).isEqualTo("attribute_not_exists(sessionStart) OR sessionStart = :start"
                + " OR sessionStart <= :staleBefore");
    }

    @Test
    void aMinuteCountsARequestOnlyBelowItsLimits() {
        assertThat(CounterItems.COUNT_RATE).isEqualTo("ADD requests :one, tokens :tokens SET #ttl = :ttl");
        assertThat(CounterItems.COUNT_RATE_RPM_IF).isEqualTo("attribute_not_exists(requests) OR requests < :rpm");
        assertThat(CounterItems.COUNT_RATE_TPM_IF).isEqualTo("attribute_not_exists(requests) OR tokens <= :tpmMax");
        assertThat(CounterItems.COUNT_RATE_BOTH_IF)
                .isEqualTo("attribute_not_exists(requests) OR (requests < :rpm AND tokens <= :tpmMax)");
        assertThat(CounterItems.ADJUST_RATE).isEqualTo("ADD tokens :delta");
    }

    @Test
    void aPlanIsAssignedOnlyToAnExistingAccount() {
        assertThat(DynamoWindowStore.ASSIGN_IF).isEqualTo("attribute_exists(accountId)");
    }
}
