package dev.tollgate.functions.web;

import dev.tollgate.billing.UsageBatcher;
import io.micronaut.context.BeanProvider;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Writes the batched usage counters of free requests every second (and at shutdown, see DomainFactory).
 *
 * <p>The batcher is looked up at the first flush, not injected: scheduling happens while the context starts,
 * and an injected batcher would build its DynamoDB store and client then, on the main thread, before a Lambda
 * function's first event (docs/PERFORMANCE.md). A flush finds the batcher, and whatever it counted, either way.
 */
@Singleton
public class UsageFlushJob {

    private final BeanProvider<UsageBatcher> freeUsage;

    public UsageFlushJob(BeanProvider<UsageBatcher> freeUsage) {
        this.freeUsage = freeUsage;
    }

    @Scheduled(fixedDelay = "${tollgate.usage-flush-every:1s}")
    void flush() {
        freeUsage.get().flush();
    }
}
