package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins the conditions that make an {@code Idempotency-Key} claimable once and writable only by its owner. */
class IdempotencyExpressionsTest {

    @Test
    void aClaimTakesAnAbsentOrExpiredItemOnly() {
        assertThat(DynamoIdempotencyStore.CLAIM_IF).isEqualTo("attribute_not_exists(holdId) OR #ttl <= :now");
    }

    @Test
    void everyLaterWriteNeedsTheRunningClaimOfTheSameOwner() {
        assertThat(DynamoIdempotencyStore.OWNED_IF).isEqualTo("#owner = :owner AND #state = :running");
        assertThat(DynamoIdempotencyStore.TAKE_OVER).isEqualTo("SET #owner = :next, leaseUntil = :lease");
        assertThat(DynamoIdempotencyStore.FINISH).isEqualTo("SET #state = :state, #response = :response REMOVE leaseUntil");
    }

    @Test
    void itemsAreKeyedPerAccountAndNeverLookLikeAHold() {
        assertThat(DynamoIdempotencyStore.key("acct_a", "k").get("holdId").s()).isEqualTo("idem#acct_a#k");
        assertThat(DynamoIdempotencyStore.key("acct_b", "k")).isNotEqualTo(DynamoIdempotencyStore.key("acct_a", "k"));
    }
}
