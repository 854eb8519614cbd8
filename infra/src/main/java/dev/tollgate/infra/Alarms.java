package dev.tollgate.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * CloudWatch alarms, all notifying one SNS topic (with an e-mail subscription when context
 * {@code alarmEmail} is set):
 *
 * <ul>
 *   <li>API 5xx rate above 5 % over 5 minutes (with at least 20 requests, so one failure at night is no page);</li>
 *   <li>per request-serving function: errors (crashes, timeouts; handled errors are 5xx responses instead)
 *       and throttles;</li>
 *   <li>DynamoDB read or write throttle events, per table;</li>
 *   <li>reconciler: failed runs, no runs (the schedule stopped), and a backlog: many holds released in
 *       15 minutes means chat functions are dying mid-request (ReleasedHolds, written by the reconciler as EMF);</li>
 *   <li>usage shortfall: any request whose cost exceeded its hold and left debt ({@value #USAGE_SHORTFALL_METRIC},
 *       µ$, written as EMF by whichever function settles it), summed over every function, above zero in 5
 *       minutes. The hold is meant to bound the cost, so this is a bug or a catalog gap to look at, not load.</li>
 * </ul>
 */
public final class Alarms extends Construct {

    static final Duration PERIOD = Duration.minutes(5);
    static final int RELEASED_HOLDS_BACKLOG = 50;
    /** The namespace of the application's EMF metrics (EmfMetrics.NAMESPACE in functions). */
    static final String METRICS_NAMESPACE = "Tollgate";
    static final String USAGE_SHORTFALL_METRIC = "UsageShortfallMicros";

    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();

    public Alarms(Construct scope, String id, StackSettings settings, LambdaFunctions functions, PublicApi api, Tables tables) {
        super(scope, id);
        topic = Topic.Builder.create(this, "Topic").topicName(settings.name("alarms"))
                .displayName("Tollgate " + settings.stage() + " alarms").build();
        settings.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));

        MetricOptions sum = MetricOptions.builder().period(PERIOD).statistic("Sum").build();
        alarm(settings, "Api5xxRate", "API 5xx responses above 5 % of requests (at least 20 requests in 5 minutes)",
                MathExpression.Builder.create()
                        .expression("IF(requests >= 20, 100 * errors / requests, 0)")
                        .usingMetrics(sorted(Map.of("errors", api.restApi().metricServerError(sum), "requests", api.restApi().metricCount(sum))))
                        .period(PERIOD).label("5xx %").build(),
                5, 1, TreatMissingData.NOT_BREACHING);
        for (Function function : List.of(functions.api(), functions.chat(), functions.stripeWebhook())) {
            String name = function.getNode().getId();
            alarm(settings, name + "Errors", name + " function errors (crash, timeout, out of memory)",
                    function.metricErrors(sum), 3, 1, TreatMissingData.NOT_BREACHING);
            alarm(settings, name + "Throttles", name + " function throttled (account or reserved concurrency exhausted)",
                    function.metricThrottles(sum), 1, 1, TreatMissingData.NOT_BREACHING);
        }
        // One alarm per table: an alarm's math expression may use at most 10 metrics.
        for (Table table : tables.all()) {
            String shortName = table.getNode().getId();
            alarm(settings, "DynamoThrottles" + shortName, "DynamoDB read or write throttle events on the "
                    + shortName.toLowerCase(Locale.ROOT) + " table", dynamoThrottles(table, sum), 1, 1,
                    TreatMissingData.NOT_BREACHING);
        }

        Function reconciler = functions.reconciler();
        alarm(settings, "ReconcilerErrors", "The hold reconciler failed (expired holds stay reserved until it runs)",
                reconciler.metricErrors(sum), 1, 2, TreatMissingData.NOT_BREACHING);
        alarm(settings, "ReconcilerNotRunning", "The hold reconciler did not run for 15 minutes (schedule disabled?)",
                reconciler.metricInvocations(MetricOptions.builder().period(Duration.minutes(15)).statistic("Sum").build()),
                1, 1, TreatMissingData.BREACHING, ComparisonOperator.LESS_THAN_THRESHOLD);
        alarm(settings, "ReconcilerBacklog", "More than " + RELEASED_HOLDS_BACKLOG + " expired holds released in 15 minutes: "
                        + "requests are dying before they settle (chat timeouts or crashes)",
                Metric.Builder.create().namespace(METRICS_NAMESPACE).metricName("ReleasedHolds")
                        .dimensionsMap(Map.of("FunctionName", reconciler.getFunctionName()))
                        .statistic("Sum").period(Duration.minutes(15)).build(),
                RELEASED_HOLDS_BACKLOG, 1, TreatMissingData.NOT_BREACHING);
        alarm(settings, "UsageShortfall", "A request cost more than its hold and left debt (" + USAGE_SHORTFALL_METRIC
                        + " > 0 in 5 minutes): a hold did not bound its cost",
                usageShortfall(functions), 0, 1, TreatMissingData.NOT_BREACHING, ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    /**
     * {@value #USAGE_SHORTFALL_METRIC} summed over the functions: EMF metrics carry a FunctionName dimension,
     * and chat, api (embeddings) and the reconciler (expired holds) all settle requests.
     */
    private static IMetric usageShortfall(LambdaFunctions functions) {
        Map<String, IMetric> metrics = new LinkedHashMap<>();
        List<Function> all = List.of(functions.chat(), functions.api(), functions.reconciler(), functions.stripeWebhook());
        for (int i = 0; i < all.size(); i++) {
            metrics.put("s" + i, Metric.Builder.create().namespace(METRICS_NAMESPACE).metricName(USAGE_SHORTFALL_METRIC)
                    .dimensionsMap(Map.of("FunctionName", all.get(i).getFunctionName()))
                    .statistic("Sum").period(PERIOD).build());
        }
        String sum = String.join(" + ", metrics.keySet().stream().map(id -> "FILL(" + id + ", 0)").toList());
        return MathExpression.Builder.create().expression(sum).usingMetrics(metrics).period(PERIOD)
                .label("usage shortfall (µ$)").build();
    }

    /**
     * The metrics of an expression in a fixed order: the template lists them in the map's order, and Map.of's order
     * changes from one JVM to the next, which made every synth a change to these alarms.
     */
    private static Map<String, IMetric> sorted(Map<String, IMetric> metrics) {
        return new TreeMap<>(metrics);
    }

    private static IMetric dynamoThrottles(Table table, MetricOptions sum) {
        return MathExpression.Builder.create().expression("FILL(reads, 0) + FILL(writes, 0)")
                .usingMetrics(sorted(Map.of("reads", table.metric("ReadThrottleEvents", sum),
                        "writes", table.metric("WriteThrottleEvents", sum))))
                .period(PERIOD).label("DynamoDB throttle events").build();
    }

    private void alarm(StackSettings settings, String id, String description, IMetric metric, double threshold,
                       int periods, TreatMissingData missing) {
        alarm(settings, id, description, metric, threshold, periods, missing,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    }

    private void alarm(StackSettings settings, String id, String description, IMetric metric, double threshold,
                       int periods, TreatMissingData missing, ComparisonOperator comparison) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(settings.name(id))
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .comparisonOperator(comparison)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    public Topic topic() {
        return topic;
    }

    public List<Alarm> all() {
        return List.copyOf(alarms);
    }
}
