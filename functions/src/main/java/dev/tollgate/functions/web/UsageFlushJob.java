package dev.tollgate.functions.web;

import dev.tollgate.billing.UsageBatcher;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/** Writes the batched usage counters of free requests every second (and at shutdown, see DomainFactory). */
@Singleton
public class UsageFlushJob {

    private final UsageBatcher freeUsage;

    public UsageFlushJob(UsageBatcher freeUsage) {
        this.freeUsage = freeUsage;
    }

    @Scheduled(fixedDelay = "${tollgate.usage-flush-every:1s}")
    void flush() {
        freeUsage.flush();
    }
}
