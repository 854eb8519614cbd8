package dev.tollgate.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverMode;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Protocol;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The Fargate task: the server image from ECR (the same application as the chat function, without the Web Adapter:
 * its Netty server answers the ALB directly, streams included), the functions' environment, CloudWatch Logs, and a
 * task role granted by {@link RolePermissions} exactly what the Lambda functions it stands in for have: chat's with
 * {@code fargate-chat}; api's, chat's and the webhook's with {@code fargate-all}. Never the reconciler's job: the
 * reconciler function keeps releasing expired holds on its schedule (docs/adr/0016-fargate-option.md).
 */
public final class ContainerTask extends Construct {

    public static final String CONTAINER_NAME = "server";
    /** micronaut.server.port in application.yml; set in the environment too, so the mapping cannot drift. */
    public static final int PORT = 8080;
    /**
     * Liveness, checked inside the task by the image's own entry point (GET /health on the server's port, with bash
     * alone: the image needs no curl): a process that stops answering is replaced.
     */
    public static final String HEALTH_COMMAND = "/app/entrypoint.sh health";
    /**
     * Fargate's maximum time from SIGTERM to SIGKILL. The ALB has drained the task before ECS sends SIGTERM
     * ({@link ContainerService#DEREGISTRATION_DELAY}); what is still open then gets the server's shutdown grace.
     */
    public static final Duration STOP_TIMEOUT = Duration.seconds(120);
    /** tollgate.stream.shutdown-grace: open streams may finish for this long after SIGTERM, then end and settle. */
    static final String STREAM_SHUTDOWN_GRACE = "100s";
    /** micronaut.lifecycle.graceful-shutdown.grace-period: the stream grace plus StreamDrain's 5 s to settle, inside STOP_TIMEOUT. */
    static final String SERVER_SHUTDOWN_GRACE = "110s";

    private final FargateTaskDefinition definition;

    public ContainerTask(Construct scope, String id, StackSettings settings, ComputeSettings compute, Tables tables,
                         Secrets secrets) {
        super(scope, id);
        definition = FargateTaskDefinition.Builder.create(this, "Definition")
                .family(settings.name("server"))
                .cpu(compute.cpu())
                .memoryLimitMiB(compute.memoryMiB())
                .runtimePlatform(RuntimePlatform.builder()
                        .cpuArchitecture(settings.arm64() ? CpuArchitecture.ARM64 : CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX).build())
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/tollgate/" + settings.stage() + "/server")
                .retention(settings.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        definition.addContainer("Server", ContainerDefinitionOptions.builder()
                .containerName(CONTAINER_NAME)
                .image(ContainerImage.fromEcrRepository(
                        Repository.fromRepositoryName(this, "Repository", compute.imageRepository()), compute.imageTag()))
                .essential(true)
                .portMappings(List.of(PortMapping.builder().containerPort(PORT).protocol(Protocol.TCP).name("http").build()))
                .environment(environment(settings, compute, secrets))
                // Non-blocking: a slow log service must never stall a request thread writing a log line; the money
                // is in DynamoDB, not in the logs.
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(CONTAINER_NAME)
                        .mode(AwsLogDriverMode.NON_BLOCKING).maxBufferSize(software.amazon.awscdk.Size.mebibytes(25)).build()))
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", HEALTH_COMMAND))
                        .interval(Duration.seconds(15)).timeout(Duration.seconds(5)).retries(3)
                        .startPeriod(Duration.seconds(60)).build())
                .stopTimeout(STOP_TIMEOUT)
                .build());
        if (ComputeSettings.DEFAULT_IMAGE_TAG.equals(compute.imageTag())) {
            Annotations.of(this).addWarningV2("tollgate:container-latest", "fargateImageTag is 'latest': pushing a new "
                    + "image changes nothing until the tasks are replaced, and a replaced task may run a different image than "
                    + "its neighbours. Pass -c fargateImageTag=<a tag you pushed>.");
        }
        IRole role = definition.getTaskRole();
        if (compute.everything()) {
            RolePermissions.allButReconciler(role, settings, tables, secrets);
        } else {
            RolePermissions.chat(role, settings, tables, secrets);
        }
    }

    /** The Lambda functions' variables (LambdaFunctions.base), minus what only Lambda needs (the Web Adapter's, JVM flags). */
    static Map<String, String> environment(StackSettings settings, ComputeSettings compute, Secrets secrets) {
        Map<String, String> env = LambdaFunctions.base(settings);
        env.putAll(LambdaFunctions.upstreamEnvironment(settings));
        compute.catalogFile().ifPresent(file -> env.put("TOLLGATE_CATALOG_FILES", file));
        env.put("MICRONAUT_SERVER_PORT", String.valueOf(PORT));
        env.put("TOLLGATE_STREAM_SHUTDOWN_GRACE", STREAM_SHUTDOWN_GRACE);
        env.put("MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_GRACE_PERIOD", SERVER_SHUTDOWN_GRACE);
        // The reconciler function releases expired holds on its schedule; the tasks must not do it as well.
        env.put("TOLLGATE_RECONCILER_ENABLED", "false");
        // Auto top-ups: the tasks only claim crossings; the reconciler function, which holds the Stripe key, starts
        // their payments (a chat task has no Stripe key).
        env.put("TOLLGATE_AUTO_TOPUP_START_IN_PROCESS", "false");
        LambdaFunctions.secretArn(env, "TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS", secrets.upstreamApiKeys());
        if (compute.everything()) {
            settings.stripeSuccessUrl().ifPresent(url -> env.put("TOLLGATE_STRIPE_SUCCESS_URL", url));
            settings.stripeCancelUrl().ifPresent(url -> env.put("TOLLGATE_STRIPE_CANCEL_URL", url));
            LambdaFunctions.secretArn(env, "TOLLGATE_SECRET_ARN_ADMIN_TOKEN", secrets.adminToken());
            LambdaFunctions.secretArn(env, "TOLLGATE_SECRET_ARN_STRIPE_API_KEY", secrets.stripeApiKey());
            LambdaFunctions.secretArn(env, "TOLLGATE_SECRET_ARN_CONSOLE_SESSION_SECRET", secrets.consoleSessionSecret());
            LambdaFunctions.secretArn(env, "TOLLGATE_SECRET_ARN_STRIPE_WEBHOOK_SECRET", secrets.stripeWebhookSecret());
        }
        return new LinkedHashMap<>(env);
    }

    public FargateTaskDefinition definition() {
        return definition;
    }
}
