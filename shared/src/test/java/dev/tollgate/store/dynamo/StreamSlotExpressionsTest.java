package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins the expressions of the per-account stream cap (STYLE.md 4), like {@link ConditionExpressionsTest} does for
 * money. Loosening one is how an account would get more streams than its cap, a release would free another
 * stream's slot, or a live stream's lease would be reclaimed.
 */
class StreamSlotExpressionsTest {

    @Test
    void aSlotIsTakenOnlyBelowTheCapAndOncePerRequest() {
        assertThat(DynamoStreamSlots.ACQUIRE).isEqualTo("SET leases.#lease = :until, #ttl = :ttl ADD openStreams :one");
        assertThat(DynamoStreamSlots.ACQUIRE_IF)
                .isEqualTo("attribute_exists(holdId) AND openStreams < :cap AND attribute_not_exists(leases.#lease)");
        assertThat(DynamoStreamSlots.CREATE_IF).isEqualTo("attribute_not_exists(holdId)");
    }

    @Test
    void aSlotIsFreedOnlyByTheRequestThatHoldsItAndOnlyOnce() {
        assertThat(DynamoStreamSlots.RELEASE).isEqualTo("REMOVE leases.#lease ADD openStreams :minusOne");
        assertThat(DynamoStreamSlots.RELEASE_IF).isEqualTo("attribute_exists(leases.#lease)");
    }

    @Test
    void aLeaseIsExtendedOnlyWhileItIsHeldAndTheCountStays() {
        assertThat(DynamoStreamSlots.EXTEND).isEqualTo("SET leases.#lease = :until, #ttl = :ttl");
        assertThat(DynamoStreamSlots.EXTEND_IF).isEqualTo("attribute_exists(leases.#lease)");
    }

    @Test
    void anExpiredLeaseIsReclaimedOnlyIfItStillEndsWhenItWasReadToEnd() {
        assertThat(DynamoStreamSlots.RECLAIM_IF).isEqualTo("leases.#lease = :until");
    }

    @Test
    void theItemIsOneHoldsTableItemPerAccount() {
        assertThat(DynamoStreamSlots.ITEM_PREFIX).isEqualTo("streams#");
    }
}
