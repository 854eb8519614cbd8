package dev.tollgate.infra;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeElb;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The Fargate service's alarms, on the stack's alarm topic ({@link Alarms#topic()}), from the ALB's own metrics:
 * the tasks' 5xx rate (as Api5xxRate does for API Gateway), 5xx the ALB answers itself (no healthy task, a task
 * that reset or timed out a connection), and a task failing {@code /ready} for five minutes.
 */
public final class ContainerAlarms extends Construct {

    static final Duration PERIOD = Duration.minutes(5);

    public ContainerAlarms(Construct scope, String id, StackSettings settings, ITopic topic,
                           ApplicationLoadBalancer loadBalancer, ApplicationTargetGroup targets) {
        super(scope, id);
        MetricOptions sum = MetricOptions.builder().period(PERIOD).statistic("Sum").build();
        // A TreeMap, not Map.of: the metrics' order is the template's, and it must not change from one synth to the next.
        Map<String, IMetric> rate = new TreeMap<>(Map.of(
                "errors", targets.getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum),
                "requests", targets.getMetrics().requestCount(sum)));
        alarm(settings, topic, "Container5xxRate", "Fargate tasks' 5xx responses above 5 % of requests (at least 20 in 5 minutes)",
                MathExpression.Builder.create().expression("IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)")
                        .usingMetrics(rate).period(PERIOD).label("5xx %").build(), 5, 1);
        alarm(settings, topic, "ContainerLoadBalancer5xx", "The ALB answered 5xx itself (no healthy task, or a task reset or "
                        + "timed out a connection) 10 times or more in 5 minutes",
                loadBalancer.getMetrics().httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, sum), 10, 1);
        alarm(settings, topic, "ContainerUnhealthyTasks", "A Fargate task failed GET /ready (DynamoDB unreachable from it) "
                        + "for 5 minutes",
                targets.getMetrics().unhealthyHostCount(MetricOptions.builder().period(Duration.minutes(1))
                        .statistic("Maximum").build()), 1, 5);
    }

    private void alarm(StackSettings settings, ITopic topic, String id, String description, IMetric metric,
                       double threshold, int periods) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(settings.name(id))
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
    }
}
