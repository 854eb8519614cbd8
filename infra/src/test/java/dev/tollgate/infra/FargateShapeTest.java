package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The container option's task, service, load balancer and routing, in both shapes (docs/adr/0016-fargate-option.md).
 * What the task may do, and what stays on Lambda, is FargateLeastPrivilegeTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class FargateShapeTest {

    private Template chat;
    private Template all;

    @BeforeAll
    void synthesize() {
        chat = FargateSynth.chatShape();
        all = FargateSynth.allShape();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Template template) {
        Map<String, Object> task = new TemplateJson(template).ofType("AWS::ECS::TaskDefinition").values().iterator().next();
        return ((List<Map<String, Object>>) task.get("ContainerDefinitions")).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Template template) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        ((List<Map<String, Object>>) container(template).get("Environment")).forEach(v -> env.put((String) v.get("Name"), v.get("Value")));
        return env;
    }

    @Test
    void runsOneFargateTaskDefinitionOfTheServerImageSizedFromContext() {
        chat.resourceCountIs("AWS::ECS::TaskDefinition", 1);
        chat.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("Family", "tollgate-test-server",
                "Cpu", "1024", "Memory", "2048", "NetworkMode", "awsvpc", "RequiresCompatibilities", List.of("FARGATE"),
                "RuntimePlatform", Map.of("CpuArchitecture", "ARM64", "OperatingSystemFamily", "LINUX")));
        all.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("Cpu", "2048", "Memory", "4096",
                "RuntimePlatform", Map.of("CpuArchitecture", "X86_64", "OperatingSystemFamily", "LINUX")));

        Map<String, Object> server = container(chat);
        assertThat(server).containsEntry("Name", "server").containsEntry("Essential", true)
                .containsEntry("StopTimeout", 120)
                .containsEntry("PortMappings", List.of(Map.of("ContainerPort", 8080, "Protocol", "tcp", "Name", "http")));
        assertThat(TemplateJson.json(server.get("Image"))).contains(".dkr.ecr.").contains("/tollgate:v1.2.3");
        assertThat(TemplateJson.json(container(all).get("Image"))).contains("/acme/tollgate:2026-12-06");
    }

    @Test
    @SuppressWarnings("unchecked")
    void checksLivenessOnHealthInsideTheTaskAndLogsToCloudWatchWithoutBlocking() {
        Map<String, Object> server = container(chat);
        assertThat((Map<String, Object>) server.get("HealthCheck"))
                .containsEntry("Command", List.of("CMD-SHELL", ContainerTask.HEALTH_COMMAND))
                .containsEntry("Interval", 15).containsEntry("Timeout", 5).containsEntry("Retries", 3)
                .containsEntry("StartPeriod", 60);
        assertThat(ContainerTask.HEALTH_COMMAND).as("the image's HEALTHCHECK command (container/Dockerfile)")
                .isEqualTo("/app/entrypoint.sh health");
        try {
            assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("..", "container", "Dockerfile")))
                    .contains("WORKDIR /app", "COPY container/entrypoint.sh /app/entrypoint.sh",
                            "CMD [\"/app/entrypoint.sh\", \"health\"]");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Map<String, Object> logs = (Map<String, Object>) server.get("LogConfiguration");
        assertThat(logs.get("LogDriver")).isEqualTo("awslogs");
        assertThat((Map<String, Object>) logs.get("Options")).containsEntry("mode", "non-blocking")
                .containsEntry("awslogs-stream-prefix", "server").containsKey("awslogs-group");
        chat.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/tollgate/test/server", "RetentionInDays", 30));
    }

    @Test
    void getsTheFunctionsEnvironmentWithoutTheWebAdapterAndDrainsLongerThanLambdaWould() {
        Map<String, Object> env = environment(chat);
        assertThat(env).containsEntry("TOLLGATE_DYNAMODB_TABLE_PREFIX", "tollgate-test-")
                .containsEntry("TOLLGATE_SECRETS_REVISION", "1")
                .containsEntry("TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL", "https://ollama.example.com/v1")
                .containsEntry("TOLLGATE_UPSTREAMS_BEDROCK_KIND", "bedrock")
                .containsEntry("TOLLGATE_CATALOG_FILES", FargateSynth.CATALOG_IN_IMAGE)
                .containsEntry("MICRONAUT_SERVER_PORT", "8080")
                .containsEntry("TOLLGATE_RECONCILER_ENABLED", "false")
                .containsEntry("TOLLGATE_AUTO_TOPUP_START_IN_PROCESS", "false")
                .containsEntry("TOLLGATE_STREAM_SHUTDOWN_GRACE", "100s")
                .containsEntry("MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_GRACE_PERIOD", "110s")
                .containsKey("TOLLGATE_DYNAMODB_REGION");
        assertThat(env.keySet()).noneMatch(k -> k.startsWith("AWS_LWA_") || k.equals("AWS_LAMBDA_EXEC_WRAPPER")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("TOLLGATE_FUNCTION_TIMEOUT"));
        assertThat(environment(all)).containsEntry("TOLLGATE_STRIPE_SUCCESS_URL", "https://tollgate.example.com/paid?topup={TOPUP_ID}")
                .doesNotContainKey("TOLLGATE_CATALOG_FILES");
    }

    @Test
    void rollsOutWithoutDroppingCapacityAndRollsBackAFailedDeploy() {
        chat.hasResourceProperties("AWS::ECS::Service", Map.of("ServiceName", "tollgate-test-server", "LaunchType", "FARGATE",
                "DeploymentConfiguration", Map.of("MaximumPercent", 200, "MinimumHealthyPercent", 100,
                        "DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true)),
                "HealthCheckGracePeriodSeconds", 60,
                "LoadBalancers", List.of(Match.objectLike(Map.of("ContainerName", "server", "ContainerPort", 8080))),
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Match.objectLike(Map.of("AssignPublicIp", "DISABLED")))));
        assertThat(new TemplateJson(chat).ofType("AWS::ECS::Service").values().iterator().next())
                .as("autoscaling owns the task count; a deploy must not reset it").doesNotContainKey("DesiredCount");
        all.hasResourceProperties("AWS::ECS::Service", Map.of("NetworkConfiguration",
                Map.of("AwsvpcConfiguration", Match.objectLike(Map.of("AssignPublicIp", "ENABLED")))));
    }

    @Test
    void aNewVpcHasANatGatewayForPrivateTasksAndAFreeDynamoDbEndpointOrPublicTasksWithoutNat() {
        chat.resourceCountIs("AWS::EC2::VPC", 1);
        chat.resourceCountIs("AWS::EC2::NatGateway", 1);
        chat.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Gateway"));
        assertThat(TemplateJson.json(new TemplateJson(chat).ofType("AWS::EC2::VPCEndpoint"))).contains(".dynamodb");
        all.resourceCountIs("AWS::EC2::NatGateway", 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLoadBalancerKeepsLongStreamsAndDrainsATaskBeforeItStops() {
        Map<String, Object> alb = new TemplateJson(chat).ofType("AWS::ElasticLoadBalancingV2::LoadBalancer").values().iterator().next();
        assertThat(alb).containsEntry("Scheme", "internet-facing").containsEntry("Type", "application");
        assertThat((List<Map<String, Object>>) alb.get("LoadBalancerAttributes"))
                .contains(Map.of("Key", "idle_timeout.timeout_seconds", "Value", "870"),
                        Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true"));
        assertThat(ContainerService.IDLE_TIMEOUT.toSeconds().intValue()).as("past a buffered generation's 14 minutes, inside the server's 15")
                .isGreaterThan(14 * 60).isLessThan(15 * 60);
        chat.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Map.of("Port", 8080, "Protocol", "HTTP",
                "TargetType", "ip", "HealthCheckPath", "/ready", "Matcher", Map.of("HttpCode", "200"),
                "HealthCheckIntervalSeconds", 15, "HealthyThresholdCount", 2, "UnhealthyThresholdCount", 3,
                "TargetGroupAttributes", Match.arrayWith(List.of(Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "900")))));
        assertThat(ContainerService.DEREGISTRATION_DELAY.toSeconds().intValue()).as("longer than the longest stream (14 min)").isGreaterThan(14 * 60);
    }

    @Test
    void onlyTheLoadBalancerReachesTheTasks() {
        TemplateJson json = new TemplateJson(chat);
        Map<String, Map<String, Object>> ingress = json.ofType("AWS::EC2::SecurityGroupIngress");
        assertThat(ingress.values()).anySatisfy(rule -> {
            assertThat(rule).containsEntry("FromPort", 8080).containsEntry("ToPort", 8080).containsKey("SourceSecurityGroupId");
            assertThat(TemplateJson.json(rule.get("SourceSecurityGroupId"))).contains("LoadBalancer");
        });
        assertThat(TemplateJson.json(json.ofType("AWS::EC2::SecurityGroup"))).doesNotContain("\"FromPort\":8080,\"IpProtocol\":\"tcp\",\"ToPort\":8080,\"CidrIp\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void fargateChatForwardsTheModelRoutesAndAnswersEverythingElseWithA404NamingTheApiUrl() {
        chat.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        Map<String, Object> listener = new TemplateJson(chat).ofType("AWS::ElasticLoadBalancingV2::Listener").values().iterator().next();
        assertThat(listener).containsEntry("Port", 80).containsEntry("Protocol", "HTTP");
        Map<String, Object> fixed = (Map<String, Object>) ((List<Map<String, Object>>) listener.get("DefaultActions")).getFirst().get("FixedResponseConfig");
        assertThat(fixed).containsEntry("StatusCode", "404").containsEntry("ContentType", "application/json");
        assertThat((String) fixed.get("MessageBody")).startsWith("{\"error\":{\"message\":").contains("ApiUrl")
                .contains("\"code\":\"not_found\"").hasSizeLessThanOrEqualTo(1024);

        List<String> patterns = new TemplateJson(chat).ofType("AWS::ElasticLoadBalancingV2::ListenerRule").values().stream()
                .peek(rule -> assertThat(TemplateJson.json(rule.get("Actions"))).contains("\"Type\":\"forward\""))
                .flatMap(rule -> ((List<Map<String, Object>>) rule.get("Conditions")).stream())
                .flatMap(c -> ((List<String>) ((Map<String, Object>) c.get("PathPatternConfig")).get("Values")).stream())
                .toList();
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            boolean forwarded = patterns.stream().anyMatch(p -> matches(p, path));
            if (route.target() == ApiRoutes.Target.CHAT) {
                assertThat(forwarded).as(route.toString()).isTrue();
            }
            if (route.path().startsWith("/v1/key") || route.path().startsWith("/v1/billing") || route.path().startsWith("/admin")
                    || route.path().startsWith("/console") || route.target() == ApiRoutes.Target.STRIPE_WEBHOOK) {
                assertThat(forwarded).as(route + " stays on API Gateway").isFalse();
            }
        }
    }

    /** ALB path patterns: '*' matches any characters, '?' one; case-sensitive. */
    private static boolean matches(String pattern, String path) {
        return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q")).matcher(path).matches();
    }

    @Test
    void fargateAllForwardsEverythingOverHttpsAndTellsPlainHttpClientsToUseIt() {
        all.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", 0);
        all.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 443, "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn", FargateSynth.CERTIFICATE)),
                "DefaultActions", List.of(Match.objectLike(Map.of("Type", "forward")))));
        all.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 80, "Protocol", "HTTP",
                "DefaultActions", List.of(Match.objectLike(Map.of("Type", "fixed-response",
                        "FixedResponseConfig", Match.objectLike(Map.of("StatusCode", "400")))))));
        assertThat(TemplateJson.json(all.findOutputs("ContainerUrl"))).contains("https://").contains("/v1");
        assertThat(TemplateJson.json(chat.findOutputs("ContainerUrl"))).contains("http://").contains("/v1");
    }

    @Test
    void scalesOnCpuAndOnOpenConnectionsPerTaskBetweenTheContextsBounds() {
        chat.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 2, "MaxCapacity", 10,
                "ScalableDimension", "ecs:service:DesiredCount", "ServiceNamespace", "ecs"));
        all.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 3, "MaxCapacity", 20));
        chat.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 2);
        chat.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of("PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Map.of(
                        "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization"),
                        "TargetValue", 60, "ScaleOutCooldown", 60, "ScaleInCooldown", 300)));
        all.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of("TargetTrackingScalingPolicyConfiguration",
                Match.objectLike(Map.of("TargetValue", 50, "PredefinedMetricSpecification", Match.anyValue()))));
        Map<String, Object> connections = Map.of("TargetValue", 200, "ScaleOutCooldown", 60, "ScaleInCooldown", 300,
                "CustomizedMetricSpecification", Map.of("Metrics", List.of(
                        Match.objectLike(Map.of("Id", "connections", "ReturnData", false, "MetricStat", Match.objectLike(Map.of(
                                "Stat", "Sum", "Metric", Match.objectLike(Map.of("Namespace", "AWS/ApplicationELB",
                                        "MetricName", "ActiveConnectionCount")))))),
                        Match.objectLike(Map.of("Id", "tasks", "ReturnData", false, "MetricStat", Match.objectLike(Map.of(
                                "Stat", "Average", "Metric", Match.objectLike(Map.of("MetricName", "HealthyHostCount")))))),
                        Match.objectLike(Map.of("Id", "per_task", "Expression", "connections / 2 / tasks", "ReturnData", true)))));
        chat.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyName", "tollgate-test-server-connections",
                "TargetTrackingScalingPolicyConfiguration", connections));
        all.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of("TargetTrackingScalingPolicyConfiguration",
                Match.objectLike(Map.of("TargetValue", 400))));
    }

    @Test
    void alarmsOnTheTasks5xxRateTheLoadBalancers5xxAndUnhealthyTasksOnTheStacksTopic() {
        TemplateJson json = new TemplateJson(chat);
        String topic = json.ofType("AWS::SNS::Topic").keySet().iterator().next();
        Map<Object, Map<String, Object>> alarms = new java.util.HashMap<>();
        json.ofType("AWS::CloudWatch::Alarm").values().forEach(a -> alarms.put(a.get("AlarmName"), a));
        assertThat(alarms).containsKeys("tollgate-test-Container5xxRate", "tollgate-test-ContainerLoadBalancer5xx",
                "tollgate-test-ContainerUnhealthyTasks");
        for (String name : List.of("Container5xxRate", "ContainerLoadBalancer5xx", "ContainerUnhealthyTasks")) {
            assertThat(TemplateJson.json(alarms.get("tollgate-test-" + name).get("AlarmActions"))).as(name).contains(topic);
        }
        assertThat(alarms.get("tollgate-test-ContainerLoadBalancer5xx")).containsEntry("MetricName", "HTTPCode_ELB_5XX_Count")
                .containsEntry("Namespace", "AWS/ApplicationELB").containsEntry("Threshold", 10);
        assertThat(alarms.get("tollgate-test-ContainerUnhealthyTasks")).containsEntry("MetricName", "UnHealthyHostCount")
                .containsEntry("EvaluationPeriods", 5);
        assertThat(TemplateJson.json(alarms.get("tollgate-test-Container5xxRate").get("Metrics")))
                .contains("HTTPCode_Target_5XX_Count").contains("RequestCount").contains("IF(requests >= 20");
        assertThat(Synth.fullStack().findResources("AWS::CloudWatch::Alarm").toString()).doesNotContain("Container");
    }
}
