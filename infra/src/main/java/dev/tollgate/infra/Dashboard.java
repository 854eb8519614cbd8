package dev.tollgate.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The operator's CloudWatch dashboard: what the gateway does (requests by status and endpoint, tokens, revenue),
 * how its upstreams behave (latency p50/p99, errors, retries), the money at risk (open and overdue holds, shortfall,
 * debt) and its caches, from the application's metrics in namespace {@value #NAMESPACE} (docs/METRICS.md: Lambda writes
 * them as EMF with the metric's tags as dimensions), beside Lambda's and API Gateway's own.
 *
 * <p>Sums across tags use Metrics Insights queries ({@code SELECT ... GROUP BY}), which need no list of the models or
 * upstreams in advance; percentiles use {@code SEARCH}, since Metrics Insights has none.
 */
public final class Dashboard extends Construct {

    static final String NAMESPACE = Alarms.METRICS_NAMESPACE;
    static final Duration PERIOD = Duration.minutes(5);

    private final software.amazon.awscdk.services.cloudwatch.Dashboard dashboard;

    public Dashboard(Construct scope, String id, StackSettings settings, LambdaFunctions functions, PublicApi api) {
        super(scope, id);
        dashboard = software.amazon.awscdk.services.cloudwatch.Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(settings.name("operations")).defaultInterval(Duration.hours(3)).build();
        dashboard.addWidgets(TextWidget.Builder.create().width(24).height(1)
                .markdown("## Tollgate " + settings.stage() + " — metric names and tags: docs/METRICS.md").build());
        dashboard.addWidgets(
                graph("Requests by status", insights("requests", "SUM(\"tollgate.requests\")",
                        "endpoint, model, status", "status")),
                graph("Requests by endpoint", insights("endpoints", "SUM(\"tollgate.requests\")",
                        "endpoint, model, status", "endpoint")),
                graph("Tokens in and out", insights("tokens", "SUM(\"tollgate.tokens\")", "model, direction", "direction")),
                graph("Revenue by model (µ$)", insights("revenue", "SUM(\"tollgate.charged.microusd\")", "model", "model")));
        dashboard.addWidgets(
                graph("Upstream first byte p50 / p99 (ms)", percentiles("firstbyte", "tollgate.upstream.first_byte",
                        "upstream", "")),
                graph("Upstream duration p50 / p99 (ms), successful", percentiles("duration", "tollgate.upstream.duration",
                        "upstream,outcome", " outcome=\"ok\"")),
                graph("Upstream errors by kind", insights("uperrors", "SUM(\"tollgate.upstream.errors\")", "upstream, kind",
                        "upstream, kind")),
                graph("Upstream retries", insights("retries", "SUM(\"tollgate.upstream.retries\")", "upstream", "upstream")));
        dashboard.addWidgets(
                graph("Holds overdue and oldest age (s)", List.of(app("tollgate.holds.open", "Maximum"),
                        app("tollgate.holds.oldest.age", "Maximum"))),
                graph("Shortfall and debt (µ$)", List.of(app("tollgate.shortfall.microusd", "Sum"),
                        app("tollgate.debt.microusd", "Sum"))),
                graph("Reconciler runs and releases", List.of(app("tollgate.reconciler.runs", "Sum"),
                        app("tollgate.reconciler.released", "Sum"))),
                graph("Cache hit rate (%)", List.of(hitRate("key"), hitRate("account"))));
        List<IMetric> invocations = new ArrayList<>();
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        MetricOptions sum = MetricOptions.builder().period(PERIOD).statistic("Sum").build();
        MetricOptions p99 = MetricOptions.builder().period(PERIOD).statistic("p99").build();
        for (Function function : List.of(functions.api(), functions.chat(), functions.stripeWebhook(), functions.reconciler())) {
            String name = function.getNode().getId();
            invocations.add(function.metricInvocations(MetricOptions.builder().period(PERIOD).statistic("Sum").label(name).build()));
            errors.add(function.metricErrors(MetricOptions.builder().period(PERIOD).statistic("Sum").label(name + " errors").build()));
            errors.add(function.metricThrottles(MetricOptions.builder().period(PERIOD).statistic("Sum").label(name + " throttles").build()));
            durations.add(function.metricDuration(MetricOptions.builder().period(PERIOD).statistic("p99").label(name + " p99").build()));
        }
        dashboard.addWidgets(
                graph("Lambda invocations", invocations),
                graph("Lambda errors and throttles", errors),
                graph("Lambda duration p99 (ms)", durations),
                graph("API Gateway requests, 4xx, 5xx, latency p99", List.of(api.restApi().metricCount(sum),
                        api.restApi().metricClientError(sum), api.restApi().metricServerError(sum),
                        api.restApi().metricLatency(p99))));
    }

    public software.amazon.awscdk.services.cloudwatch.Dashboard dashboard() {
        return dashboard;
    }

    private static IWidget graph(String title, IMetric metric) {
        return graph(title, List.of(metric));
    }

    private static IWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).width(6).height(6).left(List.copyOf(metrics)).build();
    }

    /** A Metrics Insights query: {@code aggregate} of the metric over the schema's dimensions, one line per group. */
    private static IMetric insights(String id, String aggregate, String dimensions, String groupBy) {
        return MathExpression.Builder.create().label(id)
                .expression("SELECT " + aggregate + " FROM SCHEMA(\"" + NAMESPACE + "\", " + dimensions + ") GROUP BY " + groupBy)
                .usingMetrics(Map.of()).period(PERIOD).build();
    }

    /** p50 and p99 of a timer, one line per tag set matched by {@code SEARCH}. */
    private static List<IMetric> percentiles(String id, String metric, String dimensions, String filter) {
        List<IMetric> lines = new ArrayList<>();
        for (String stat : List.of("p50", "p99")) {
            lines.add(MathExpression.Builder.create().label(id + " " + stat)
                    .expression("SEARCH('{" + NAMESPACE + "," + dimensions + "} MetricName=\"" + metric + "\"" + filter
                            + "', '" + stat + "', " + PERIOD.toSeconds() + ")")
                    .usingMetrics(Map.of()).period(PERIOD).build());
        }
        return lines;
    }

    private static Metric app(String name, String statistic) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name).statistic(statistic).period(PERIOD).build();
    }

    /** Hits over all lookups of one cache, in per cent. */
    private static IMetric hitRate(String cache) {
        Metric hit = Metric.Builder.create().namespace(NAMESPACE).metricName("tollgate.cache.requests")
                .dimensionsMap(Map.of("cache", cache, "result", "hit")).statistic("Sum").period(PERIOD).build();
        Metric miss = Metric.Builder.create().namespace(NAMESPACE).metricName("tollgate.cache.requests")
                .dimensionsMap(Map.of("cache", cache, "result", "miss")).statistic("Sum").period(PERIOD).build();
        // Ids are per graph, and both caches share one: name them after the cache.
        String h = cache + "hit";
        String m = cache + "miss";
        return MathExpression.Builder.create().label(cache + " cache hit %")
                .expression("IF(" + h + " + " + m + " > 0, 100 * " + h + " / (" + h + " + " + m + "), 0)")
                .usingMetrics(Map.of(h, hit, m, miss)).period(PERIOD).build();
    }
}
