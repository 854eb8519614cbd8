package dev.tollgate.functions.metrics;

import dev.tollgate.metrics.Endpoint;
import dev.tollgate.metrics.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The meters of one model: its requests by endpoint and outcome (built when first seen), its tokens and its µ$. */
final class ModelMeters {

    private static final int OUTCOMES = Outcome.all().length;

    private final MeterRegistry registry;
    private final String model;
    private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(Endpoint.values().length * OUTCOMES);
    final Counter tokensIn;
    final Counter tokensOut;
    final Counter charged;

    ModelMeters(MeterRegistry registry, String model) {
        this.registry = registry;
        this.model = model;
        this.tokensIn = Counter.builder("tollgate.tokens").tag("model", model).tag("direction", "in").register(registry);
        this.tokensOut = Counter.builder("tollgate.tokens").tag("model", model).tag("direction", "out").register(registry);
        this.charged = Counter.builder("tollgate.charged.microusd").tag("model", model)
                .description("What settled requests were charged, in micro-dollars").register(registry);
    }

    Counter request(Endpoint endpoint, Outcome outcome) {
        int slot = endpoint.ordinal() * OUTCOMES + outcome.ordinal();
        Counter counter = requests.get(slot);
        if (counter == null) {
            // Registering the same name and tags twice returns the same counter, so a race here is harmless.
            counter = Counter.builder("tollgate.requests").tag("endpoint", endpoint.tag()).tag("model", model)
                    .tag("status", outcome.tag()).register(registry);
            requests.set(slot, counter);
        }
        return counter;
    }
}
