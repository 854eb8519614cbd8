package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.FreeQuota;
import dev.tollgate.billing.PooledStreamSlots;
import dev.tollgate.billing.StreamSlots;
import dev.tollgate.store.dynamo.DynamoStreamSlots;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stream cap and the daily quota are beans the chat service can inject, configured by properties alone:
 * {@code tollgate.stream.max-open-per-account} 20 by default, 0 for no cap (nothing stored), at most 1000.
 * Nothing here reaches DynamoDB: building the beans makes no call.
 */
class QuotaWiringTest {

    private static ApplicationContext run(Map<String, Object> extra, String... environments) {
        Map<String, Object> properties = new HashMap<>(Map.of("tollgate.dynamodb.endpoint", "http://127.0.0.1:9"));
        properties.putAll(extra);
        return ApplicationContext.builder().properties(properties).environments(environments).start();
    }

    /** The DynamoDB cap behind the bean, whether the server's pool of kept slots wraps it or not. */
    private static DynamoStreamSlots dynamo(StreamSlots slots) {
        return (DynamoStreamSlots) (slots instanceof PooledStreamSlots pool ? pool.store() : slots);
    }

    @Test
    void streamsAreCappedAtTwentyPerAccountByDefaultInDynamoDb() {
        try (ApplicationContext context = run(Map.of())) {
            assertThat(context.getBean(StreamSlots.class)).as("the server keeps freed slots for the next stream")
                    .isInstanceOf(PooledStreamSlots.class);
            assertThat(dynamo(context.getBean(StreamSlots.class)).cap()).isEqualTo(20);
            assertThat(context.getBean(FreeQuota.class)).isNotNull();
        }
    }

    @Test
    void onLambdaOrWithoutALingerEveryStreamTakesAndGivesBackItsOwnSlot() {
        try (ApplicationContext context = run(Map.of(), "lambda-chat")) {
            assertThat(context.getBean(StreamSlots.class)).isInstanceOf(DynamoStreamSlots.class);
        }
        try (ApplicationContext context = run(Map.of("tollgate.stream.slot-linger", "0s"))) {
            assertThat(context.getBean(StreamSlots.class)).isInstanceOf(DynamoStreamSlots.class);
        }
    }

    @Test
    void theCapIsConfigurableAndZeroCountsNothing() {
        try (ApplicationContext context = run(Map.of("tollgate.stream.max-open-per-account", "3"))) {
            assertThat(dynamo(context.getBean(StreamSlots.class)).cap()).isEqualTo(3);
        }
        try (ApplicationContext context = run(Map.of("tollgate.stream.max-open-per-account", "0"))) {
            assertThat(context.getBean(StreamSlots.class)).isSameAs(StreamSlots.UNLIMITED);
        }
    }

    @Test
    void aCapBeyondWhatOneItemHoldsOrBelowZeroIsRefused() {
        try (ApplicationContext context = run(Map.of("tollgate.stream.max-open-per-account", "1001"))) {
            assertThatThrownBy(() -> context.getBean(StreamSlots.class))
                    .hasStackTraceContaining("tollgate.stream.max-open-per-account is at most 1000");
        }
        // A negative value fails the configuration itself, so every bean that reads it (and the shutdown) fails too.
        assertThatThrownBy(() -> {
            try (ApplicationContext context = run(Map.of("tollgate.stream.max-open-per-account", "-1"))) {
                context.getBean(StreamSlots.class);
            }
        }).hasStackTraceContaining("must be 0 (no cap) or more");
    }
}
