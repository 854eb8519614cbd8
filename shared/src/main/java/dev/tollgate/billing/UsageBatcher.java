package dev.tollgate.billing;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters requests that move no money (free models) without a DynamoDB write per request: counters are
 * summed per account, day and model in memory and written by {@link #flush()}, which the application
 * calls every second and at shutdown. One write per row per flush replaces one write per request.
 *
 * <p>The trade-off, stated in the README: a process killed between flushes loses up to one interval of
 * free-model usage counters. No balance depends on them.
 */
public final class UsageBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(UsageBatcher.class);

    private final UsageStore store;
    private final BatchedRequestLog requests;
    private final Map<Row, Counters> pending = new ConcurrentHashMap<>();

    private record Row(String accountId, String day, String model) {
    }

    private static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder prompt = new LongAdder();
        final LongAdder completion = new LongAdder();
    }

    public UsageBatcher(UsageStore store) {
        this(store, null);
    }

    /** @param requests where free requests' request log entries go with the counters; {@code null} for nowhere */
    public UsageBatcher(UsageStore store, BatchedRequestLog requests) {
        this.store = store;
        this.requests = requests;
    }

    public void add(Charge charge) {
        if (requests != null) {
            requests.add(charge);
        }
        Row row = new Row(charge.accountId(), LocalDate.ofInstant(charge.at(), ZoneOffset.UTC).toString(), charge.model());
        Counters counters = pending.computeIfAbsent(row, r -> new Counters());
        counters.requests.increment();
        counters.prompt.add(charge.usage().promptTokens());
        counters.completion.add(charge.usage().completionTokens());
    }

    /**
     * Prompt plus completion tokens counted for the account, UTC day and model and not yet written by
     * {@link #flush()}: what a reader of the usage store cannot see yet ({@link FreeQuota}).
     */
    public long pendingTokens(String accountId, LocalDate day, String model) {
        Counters counters = pending.get(new Row(accountId, day.toString(), model));
        return counters == null ? 0 : counters.prompt.sum() + counters.completion.sum();
    }

    /**
     * Writes and clears what was counted, and the request log entries waiting; rows that fail to write are put back
     * for the next flush. Returns the counter rows written.
     */
    public int flush() {
        if (requests != null) {
            requests.flush();
        }
        List<UsageDelta> deltas = new ArrayList<>();
        for (Row row : List.copyOf(pending.keySet())) {
            Counters counters = pending.remove(row);
            if (counters != null) {
                deltas.add(new UsageDelta(row.accountId(), row.day(), row.model(), counters.requests.sum(),
                        counters.prompt.sum(), counters.completion.sum(), 0));
            }
        }
        int written = 0;
        for (UsageDelta delta : deltas) {
            try {
                store.add(delta);
                written++;
            } catch (RuntimeException e) {
                LOG.warn("usage flush failed for {}; retrying next flush", delta, e);
                putBack(delta);
            }
        }
        return written;
    }

    /**
     * The store, seen through this batcher: reads flush first, so an account's usage report on this
     * instance includes its free requests of the last moment.
     */
    public UsageStore flushingBeforeReads() {
        return new UsageStore() {
            @Override
            public List<UsageRow> usage(String accountId, LocalDate from, LocalDate to) {
                flush();
                return store.usage(accountId, from, to);
            }

            @Override
            public void add(UsageDelta delta) {
                store.add(delta);
            }
        };
    }

    private void putBack(UsageDelta delta) {
        Counters counters = pending.computeIfAbsent(new Row(delta.accountId(), delta.day(), delta.model()), r -> new Counters());
        counters.requests.add(delta.requests());
        counters.prompt.add(delta.promptTokens());
        counters.completion.add(delta.completionTokens());
    }
}
