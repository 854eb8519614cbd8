package dev.tollgate.functions.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.metrics.Outcome;
import dev.tollgate.metrics.UpstreamError;
import dev.tollgate.money.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link Metrics} on Lambda: the same names as the server's {@code /metrics}, as CloudWatch Embedded Metric Format
 * lines in namespace {@value EmfMetrics#NAMESPACE}, the tags as dimensions. Values are summed in memory and written
 * when a request ends (settled or refused) and at the end of each invocation ({@link #flush}), one line per tag set:
 * a request costs a handful of log lines and no API call. Timers are written as lists of milliseconds (EMF's value
 * arrays, at most 100 per metric and line), so CloudWatch computes their percentiles.
 *
 * <p>No instance lives long enough to count its own holds, so {@code tollgate.holds.open} and
 * {@code tollgate.holds.oldest.age} come from the reconciler's scan: the holds it found past their expiry.
 */
public final class EmfRecorder implements Metrics {

    static final int MAX_VALUES = 100;

    private final Consumer<String> sink;
    private final Clock clock;
    private final ObjectMapper json = JsonBuffers.mapper();
    /** Tag set (name=value pairs, in order) → metric name → sum, or list of values for timers and gauges. */
    private Map<List<String>, Map<String, Object>> pending = new LinkedHashMap<>();

    public EmfRecorder(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** Writes to the process's stdout as it is when each line is written, which Lambda ships to CloudWatch Logs. */
    public static EmfRecorder toStdout(Clock clock) {
        return new EmfRecorder(line -> System.out.println(line), clock);
    }

    @Override
    public void request(Endpoint endpoint, String model, Outcome outcome) {
        add("tollgate.requests", 1, "endpoint", endpoint.tag(), "model", model, "status", outcome.tag());
        flush();
    }

    @Override
    public void usage(String model, TokenUsage usage, Money charged) {
        add("tollgate.tokens", usage.promptTokens(), "model", model, "direction", "in");
        add("tollgate.tokens", usage.completionTokens(), "model", model, "direction", "out");
        add("tollgate.charged.microusd", charged.micros(), "model", model);
    }

    @Override
    public void upstreamFirstByte(String upstream, long nanos) {
        sample("tollgate.upstream.first_byte", nanos / 1e6, "upstream", upstream);
    }

    @Override
    public void upstreamDuration(String upstream, boolean ok, long nanos) {
        sample("tollgate.upstream.duration", nanos / 1e6, "upstream", upstream, "outcome", ok ? "ok" : "error");
    }

    @Override
    public void upstreamError(String upstream, UpstreamError kind) {
        add("tollgate.upstream.errors", 1, "upstream", upstream, "kind", kind.tag());
    }

    @Override
    public void upstreamRetry(String upstream) {
        add("tollgate.upstream.retries", 1, "upstream", upstream);
    }

    @Override
    public void shortfall(Money beyondHold) {
        add("tollgate.shortfall.microusd", beyondHold.micros());
    }

    @Override
    public void debt(Money owed) {
        add("tollgate.debt.microusd", owed.micros());
    }

    @Override
    public void reconcilerRun(int released, int overdue, long oldestAgeSeconds) {
        add("tollgate.reconciler.runs", 1);
        add("tollgate.reconciler.released", released);
        sample("tollgate.holds.open", overdue);
        sample("tollgate.holds.oldest.age", oldestAgeSeconds);
        flush();
    }

    @Override
    public void alert(String kind) {
        add("tollgate.alerts", 1, "kind", kind);
    }

    @Override
    public void autoTopUp(String result) {
        add("tollgate.topups.auto", 1, "result", result);
    }

    @Override
    public void cache(Cache cache, boolean hit) {
        add("tollgate.cache.requests", 1, "cache", cache.tag(), "result", hit ? "hit" : "miss");
    }

    /** Writes what was recorded since the last flush, one EMF line per tag set, and forgets it. */
    public void flush() {
        Map<List<String>, Map<String, Object>> lines;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            lines = pending;
            pending = new LinkedHashMap<>();
        }
        long now = clock.millis();
        lines.forEach((tags, values) -> sink.accept(line(now, tags, values)));
    }

    private synchronized void add(String name, long amount, String... tags) {
        pending.computeIfAbsent(List.of(tags), t -> new LinkedHashMap<>()).merge(name, amount,
                (a, b) -> (Long) a + (Long) b);
    }

    @SuppressWarnings("unchecked")
    private synchronized void sample(String name, double value, String... tags) {
        List<Double> values = (List<Double>) pending.computeIfAbsent(List.of(tags), t -> new LinkedHashMap<>())
                .computeIfAbsent(name, n -> new ArrayList<Double>());
        if (values.size() < MAX_VALUES) {
            values.add(value);
        }
    }

    private String line(long timestamp, List<String> tags, Map<String, Object> values) {
        ObjectNode root = json.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestamp);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", EmfMetrics.NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions").addArray();
        for (int i = 0; i < tags.size(); i += 2) {
            dimensions.add(tags.get(i));
            root.put(tags.get(i), tags.get(i + 1));
        }
        ArrayNode metrics = directive.putArray("Metrics");
        values.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", unit(name));
            if (value instanceof List<?> list) {
                ArrayNode array = root.putArray(name);
                list.forEach(v -> array.add((Double) v));
            } else {
                root.put(name, (Long) value);
            }
        });
        return root.toString();
    }

    private static String unit(String name) {
        if (name.startsWith("tollgate.upstream.first_byte") || name.startsWith("tollgate.upstream.duration")) {
            return "Milliseconds";
        }
        return name.equals("tollgate.holds.oldest.age") ? "Seconds" : "Count";
    }

    @Override
    public void holdOpened(String holdId, Instant at) {
        // Counted by the reconciler's scan instead (see the class comment).
    }
}
