package dev.tollgate.infra;

import dev.tollgate.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationActionProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The container option (context {@code compute=fargate-chat|fargate-all}): an ECS Fargate service of
 * {@link ContainerTask}s behind an internet-facing Application Load Balancer, scaled by {@link ContainerScaling},
 * watched by {@link ContainerAlarms}.
 * SSE goes straight from the task's Netty server through the ALB to the client: no Web Adapter, no API Gateway in
 * between (which would end a stream at 15 minutes, close it after 5 idle, and bill each 10 MB).
 *
 * <ul>
 *   <li>{@code fargate-chat}: the ALB forwards the model routes ({@link #MODEL_ROUTES}) and answers anything else
 *       with a 404 naming the API URL; keys, billing, the console and the webhook stay on API Gateway and Lambda.</li>
 *   <li>{@code fargate-all}: the ALB forwards every route.</li>
 * </ul>
 *
 * API Gateway and the Lambda functions stay deployed in both shapes: the ALB is a second base URL (output
 * {@code ContainerUrl}), so clients move when the operator says, and the API URL keeps working meanwhile.
 */
public final class ContainerService extends Construct {

    /**
     * ALB path patterns of the routes the chat function serves (ApiRoutes.Target.CHAT), with what a client of those
     * routes also calls: stored responses, Anthropic's token count, the model list, and the health paths. Five values
     * per rule is the ALB's limit.
     */
    public static final List<List<String>> MODEL_ROUTES = List.of(
            List.of("/v1/chat/completions", "/v1/completions", "/v1/messages", "/v1/messages/*", "/v1/responses"),
            List.of("/v1/responses/*", "/v1/models", "/v1/models/*", "/health", "/ready"));
    public static final String READY_PATH = "/ready";
    /**
     * How long the ALB waits for a deregistered task's requests to finish before ECS stops it: past
     * tollgate.stream.max-duration (14 min), so a scale-in or deploy lets every stream end on its own. The ALB moves
     * on as soon as a task has no request open, so an idle task goes at once.
     */
    public static final Duration DEREGISTRATION_DELAY = Duration.seconds(900);
    /**
     * The ALB closes a connection silent this long. A stream is never silent (an SSE comment every 15 s), but a
     * buffered generation is until it ends, at most tollgate.stream.max-duration (14 min = 840 s) after it began; and
     * the server's own idle timeout (15 min) stays longer, so the ALB, not the server, closes idle keep-alive
     * connections, as AWS advises against 502s.
     */
    public static final Duration IDLE_TIMEOUT = Duration.seconds(870);

    private final FargateService service;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationTargetGroup targets;

    public ContainerService(Construct scope, String id, StackSettings settings, ComputeSettings compute, Tables tables,
                            Secrets secrets, ITopic alarmTopic) {
        super(scope, id);
        if (settings.catalogOverlay().isPresent() && compute.catalogFile().isEmpty()) {
            throw new IllegalArgumentException("catalogOverlay reaches the Lambda functions as a layer, which a container "
                    + "does not have: put the same file in the image and pass its path there as -c fargateCatalogFile=...");
        }
        IVpc vpc = network(settings, compute);
        boolean publicTasks = compute.vpcId().isEmpty() && compute.natGateways() == 0;
        Cluster cluster = Cluster.Builder.create(this, "Cluster").clusterName(settings.name("cluster")).vpc(vpc).build();
        ContainerTask task = new ContainerTask(this, "Task", settings, compute, tables, secrets);
        service = FargateService.Builder.create(this, "Service")
                .serviceName(settings.name("server"))
                .cluster(cluster)
                .taskDefinition(task.definition())
                // No desiredCount: autoscaling owns it, and a deploy must not reset it.
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .healthCheckGracePeriod(Duration.seconds(60))
                .vpcSubnets(SubnetSelection.builder()
                        .subnetType(publicTasks ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS).build())
                .assignPublicIp(publicTasks)
                .build();
        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .vpc(vpc)
                .internetFacing(true)
                .idleTimeout(IDLE_TIMEOUT)
                .dropInvalidHeaderFields(true)
                .build();
        targets = ApplicationTargetGroup.Builder.create(this, "Targets")
                .vpc(vpc)
                .targetType(TargetType.IP)
                .protocol(ApplicationProtocol.HTTP)
                .port(ContainerTask.PORT)
                .targets(List.of(service))
                .deregistrationDelay(DEREGISTRATION_DELAY)
                // /ready: DynamoDB answers. When every task fails it, the ALB sends to all of them anyway (fail open).
                .healthCheck(HealthCheck.builder().path(READY_PATH).healthyHttpCodes("200")
                        .interval(Duration.seconds(15)).timeout(Duration.seconds(5))
                        .healthyThresholdCount(2).unhealthyThresholdCount(3).build())
                .build();
        ApplicationListener listener = listeners(compute);
        if (!compute.everything()) {
            for (int i = 0; i < MODEL_ROUTES.size(); i++) {
                listener.addAction("ModelRoutes" + (i + 1), AddApplicationActionProps.builder()
                        .priority(10 * (i + 1))
                        .conditions(List.of(ListenerCondition.pathPatterns(MODEL_ROUTES.get(i))))
                        .action(ListenerAction.forward(List.of(targets)))
                        .build());
            }
        }
        new ContainerScaling(this, "Scaling", settings, compute, cluster, service, loadBalancer, targets);
        new ContainerAlarms(this, "Alarms", settings, alarmTopic, loadBalancer, targets);
        String scheme = compute.certificateArn().isPresent() ? "https" : "http";
        CfnOutput.Builder.create(Stack.of(this), "ContainerUrl")
                .description("OpenAI base URL of the Fargate service (" + compute.compute().value() + "); with a "
                        + "certificate, use your domain's name for it, pointed (CNAME or alias) at LoadBalancerDns")
                .value(scheme + "://" + loadBalancer.getLoadBalancerDnsName() + "/v1").build();
        CfnOutput.Builder.create(Stack.of(this), "LoadBalancerDns")
                .description("DNS name of the ALB in front of the Fargate service")
                .value(loadBalancer.getLoadBalancerDnsName()).build();
    }

    private IVpc network(StackSettings settings, ComputeSettings compute) {
        if (compute.vpcId().isPresent()) {
            // Needs the account and region (the CDK CLI passes them when it has credentials); the tasks go in the VPC's
            // private subnets with egress, which must reach DynamoDB, Secrets Manager, ECR, CloudWatch Logs and the upstreams.
            return Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().vpcId(compute.vpcId().get()).build());
        }
        List<SubnetConfiguration> subnets = new ArrayList<>();
        subnets.add(SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build());
        if (compute.natGateways() > 0) {
            subnets.add(SubnetConfiguration.builder().name("tasks").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(22).build());
        }
        return Vpc.Builder.create(this, "Vpc")
                .vpcName(settings.name("vpc"))
                .maxAzs(2)
                .natGateways(compute.natGateways())
                .subnetConfiguration(subnets)
                // Free, and keeps every balance and ledger write off the NAT gateway (which bills per GB).
                .gatewayEndpoints(Map.of("DynamoDb", GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.DYNAMODB).build()))
                .build();
    }

    /** HTTPS with a certificate (and port 80 telling clients so); otherwise plain HTTP, with a synth warning. */
    private ApplicationListener listeners(ComputeSettings compute) {
        ListenerAction main = compute.everything() ? ListenerAction.forward(List.of(targets)) : notHere();
        if (compute.certificateArn().isEmpty()) {
            Annotations.of(this).addWarningV2("tollgate:container-http", "No certificateArn: the ALB listens on plain "
                    + "HTTP, so API keys cross the internet unencrypted. Pass -c certificateArn=arn:aws:acm:...");
            return loadBalancer.addListener("Http", BaseApplicationListenerProps.builder()
                    .protocol(ApplicationProtocol.HTTP).port(80).defaultAction(main).build());
        }
        // Not a redirect: clients re-send a redirected POST as a GET, without its body; an error says what to do.
        loadBalancer.addListener("Http", BaseApplicationListenerProps.builder().protocol(ApplicationProtocol.HTTP).port(80)
                .defaultAction(error(400, ErrorCode.INVALID_REQUEST, "This API is served over HTTPS only: use https:// "
                        + "in the base URL.")).build());
        return loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
                .protocol(ApplicationProtocol.HTTPS).port(443)
                .certificates(List.of(ListenerCertificate.fromArn(compute.certificateArn().get())))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .defaultAction(main).build());
    }

    private static ListenerAction notHere() {
        return error(404, ErrorCode.NOT_FOUND, "This URL serves the model routes only (chat/completions, completions, "
                + "messages, responses, models). Keys, usage, billing and the console are on this deployment's API URL "
                + "(the stack's ApiUrl output).");
    }

    /** A fixed response in the OpenAI error envelope, as DESIGN.md requires of every error. */
    private static ListenerAction error(int status, ErrorCode code, String message) {
        return ListenerAction.fixedResponse(status, FixedResponseOptions.builder().contentType("application/json")
                .messageBody("{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + code.type() + "\",\"code\":\""
                        + code.code() + "\",\"param\":null}}").build());
    }

    public FargateService service() {
        return service;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    public ApplicationTargetGroup targets() {
        return targets;
    }
}
