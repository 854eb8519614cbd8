package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.metering.TokenUsage;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text a stream has relayed, and its record on the hold: every {@code progressEvery} the delivered tokens are
 * written where the reconciler reads them, so a process that dies mid-stream is still charged for what it relayed
 * (at most the last interval is lost). The relay thread appends and records; the timer records a stream gone quiet.
 */
final class RelayProgress {

    private static final Logger LOG = LoggerFactory.getLogger(RelayProgress.class);

    private final StringBuilder generated = new StringBuilder();
    private final AtomicBoolean recording = new AtomicBoolean();
    private final StreamRelay.Job job;
    private final StreamRelay.Metering meter;
    private final Duration every;
    private final Executor executor;
    private volatile long lastNanos = System.nanoTime();
    private volatile int recordedLength;

    RelayProgress(StreamRelay.Job job, StreamRelay.Metering meter, Duration every, Executor executor) {
        this.job = job;
        this.meter = meter;
        this.every = every;
        this.executor = executor;
    }

    void append(JsonNode delta) {
        synchronized (generated) {
            ChatWire.appendGenerated(generated, delta);
        }
    }

    String text() {
        synchronized (generated) {
            return generated.toString();
        }
    }

    /** Completion tokens relayed so far, at most the output bound. */
    long completionTokens() {
        return Math.min(job.outputBound(), meter.count(text()));
    }

    /**
     * Records the delivered tokens if the interval has passed and something new was relayed: on the relay thread
     * itself, or from the timer on the relay executor (a blocking DynamoDB write must not hold the shared timer).
     */
    void recordIfDue(boolean fromTimer) {
        if (length() == recordedLength || System.nanoTime() - lastNanos < every.toNanos()) {
            return;
        }
        if (!recording.compareAndSet(false, true)) {
            return;
        }
        Runnable write = () -> {
            try {
                int length = length();
                meter.recordProgress(new TokenUsage(job.promptEstimate(), completionTokens(), 0, 0, true));
                recordedLength = length;
                lastNanos = System.nanoTime();
            } catch (RuntimeException e) {
                LOG.warn("request {}: could not record stream progress: {}", job.requestId(), e.toString());
            } finally {
                recording.set(false);
            }
        };
        if (!fromTimer) {
            write.run();
            return;
        }
        try {
            executor.execute(write);
        } catch (RuntimeException e) {
            recording.set(false); // not scheduled: the next tick tries again
            throw e;
        }
    }

    private int length() {
        synchronized (generated) {
            return generated.length();
        }
    }
}
