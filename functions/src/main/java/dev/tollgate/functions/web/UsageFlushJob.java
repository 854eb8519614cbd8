package dev.tollgate.functions.web;

import dev.tollgate.billing.UsageBatcher;
import io.micronaut.context.BeanContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Writes the batched usage counters of free requests every second (and at shutdown, see DomainFactory).
 *
 * <p>Only a batcher that exists is flushed; none is built here. Building it would build its DynamoDB store and
 * client on the scheduler's thread: on a Lambda function before its first event (docs/PERFORMANCE.md), and in a
 * context that is already closing it failed with an ERROR stack trace. A batcher that was never built (no free
 * request was served) has counted nothing.
 */
@Singleton
public class UsageFlushJob {

    private final BeanContext context;

    public UsageFlushJob(BeanContext context) {
        this.context = context;
    }

    @Scheduled(fixedDelay = "${tollgate.usage-flush-every:1s}")
    void flush() {
        for (BeanRegistration<UsageBatcher> batcher : context.getActiveBeanRegistrations(UsageBatcher.class)) {
            batcher.getBean().flush();
        }
    }
}
