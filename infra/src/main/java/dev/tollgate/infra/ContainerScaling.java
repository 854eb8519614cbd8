package dev.tollgate.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.applicationautoscaling.BasicTargetTrackingScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.applicationautoscaling.PredefinedMetric;
import software.amazon.awscdk.services.applicationautoscaling.ScalableTarget;
import software.amazon.awscdk.services.applicationautoscaling.ServiceNamespace;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.constructs.Construct;

/**
 * Two target-tracking policies on the service's task count, between {@code fargateMinTasks} and
 * {@code fargateMaxTasks}; Application Auto Scaling follows whichever asks for more tasks:
 *
 * <ul>
 *   <li>average CPU at {@code fargateCpuTarget} % (ECS's own metric): relaying tokens and counting them is
 *       the gateway's CPU work;</li>
 *   <li>open connections per task at {@code fargateConnectionsPerTask}: a stream holds a connection for as long as
 *       the model writes, while costing little CPU, so request rates miss them. The ALB's ActiveConnectionCount counts
 *       both sides of each proxied connection (client to ALB, ALB to task), hence the halving; divided by the healthy
 *       tasks. Metric math needs the raw policy (CDK's custom-metric helper takes one plain metric).</li>
 * </ul>
 *
 * Scale-out reacts within a minute or two; scale-in waits five minutes, and a task leaving drains its streams first
 * (ContainerService.DEREGISTRATION_DELAY).
 */
public final class ContainerScaling extends Construct {

    static final Duration SCALE_OUT_COOLDOWN = Duration.seconds(60);
    static final Duration SCALE_IN_COOLDOWN = Duration.seconds(300);
    static final String CONNECTIONS_EXPRESSION = "connections / 2 / tasks";

    private final ScalableTarget target;

    public ContainerScaling(Construct scope, String id, StackSettings settings, ComputeSettings compute, Cluster cluster,
                            FargateService service, ApplicationLoadBalancer loadBalancer, ApplicationTargetGroup targets) {
        super(scope, id);
        target = ScalableTarget.Builder.create(this, "TaskCount")
                .serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension("ecs:service:DesiredCount")
                .resourceId("service/" + cluster.getClusterName() + "/" + service.getServiceName())
                .minCapacity(compute.minTasks())
                .maxCapacity(compute.maxTasks())
                .build();
        target.getNode().addDependency(service);
        target.scaleToTrackMetric("Cpu", BasicTargetTrackingScalingPolicyProps.builder()
                .policyName(settings.name("server-cpu"))
                .predefinedMetric(PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION)
                .targetValue(compute.cpuTarget())
                .scaleOutCooldown(SCALE_OUT_COOLDOWN)
                .scaleInCooldown(SCALE_IN_COOLDOWN)
                .build());
        CfnScalingPolicy.Builder.create(this, "Connections")
                .policyName(settings.name("server-connections"))
                .policyType("TargetTrackingScaling")
                .scalingTargetId(target.getScalableTargetId())
                .targetTrackingScalingPolicyConfiguration(CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty.builder()
                        .targetValue(compute.connectionsPerTask())
                        .scaleOutCooldown(SCALE_OUT_COOLDOWN.toSeconds())
                        .scaleInCooldown(SCALE_IN_COOLDOWN.toSeconds())
                        .customizedMetricSpecification(CfnScalingPolicy.CustomizedMetricSpecificationProperty.builder()
                                .metrics(List.of(
                                        query("connections", "ActiveConnectionCount", "Sum",
                                                dimension("LoadBalancer", loadBalancer.getLoadBalancerFullName())),
                                        query("tasks", "HealthyHostCount", "Average",
                                                dimension("LoadBalancer", loadBalancer.getLoadBalancerFullName()),
                                                dimension("TargetGroup", targets.getTargetGroupFullName())),
                                        CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                                                .id("per_task").label("open connections per task")
                                                .expression(CONNECTIONS_EXPRESSION).returnData(true).build()))
                                .build())
                        .build())
                .build();
    }

    private static CfnScalingPolicy.TargetTrackingMetricDataQueryProperty query(
            String id, String metric, String statistic, CfnScalingPolicy.TargetTrackingMetricDimensionProperty... dimensions) {
        return CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id(id)
                .returnData(false)
                .metricStat(CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                        .stat(statistic)
                        .metric(CfnScalingPolicy.TargetTrackingMetricProperty.builder()
                                .namespace("AWS/ApplicationELB").metricName(metric)
                                .dimensions(List.of(dimensions)).build())
                        .build())
                .build();
    }

    private static CfnScalingPolicy.TargetTrackingMetricDimensionProperty dimension(String name, String value) {
        return CfnScalingPolicy.TargetTrackingMetricDimensionProperty.builder().name(name).value(value).build();
    }

    public ScalableTarget target() {
        return target;
    }
}
