package dev.tollgate.infra;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.constructs.Node;

/**
 * Where the model routes run, read from CDK context like {@link StackSettings} (docs/DEPLOY.md, "Lambda or
 * Fargate"; docs/adr/0016-fargate-option.md). With {@code compute=lambda}, the default, nothing here is used and
 * the stack is exactly the Lambda one.
 *
 * @param compute            lambda, fargate-chat or fargate-all
 * @param imageRepository    ECR repository holding the server image (built from functions/, pushed by the operator)
 * @param imageTag           tag to run; a new tag is a new task definition and so a rolling deploy
 * @param cpu                task CPU units (1024 = 1 vCPU)
 * @param memoryMiB          task memory
 * @param minTasks           autoscaling floor (2: one per availability zone)
 * @param maxTasks           autoscaling ceiling
 * @param cpuTarget          average CPU utilization (%) that autoscaling keeps the service at
 * @param connectionsPerTask open connections per task that autoscaling keeps the service at
 * @param vpcId              an existing VPC (looked up at synth: needs the account and region) instead of a new one
 * @param natGateways        NAT gateways of a new VPC; 0 puts the tasks in public subnets with public addresses
 * @param certificateArn     ACM certificate for an HTTPS listener (port 80 then redirects to it); none: HTTP only
 * @param catalogFile        where the image holds the catalog overlay (required when {@code catalogOverlay} is set:
 *                           the Lambda layer that ships it to the functions does not reach a container)
 */
public record ComputeSettings(
        Compute compute,
        String imageRepository,
        String imageTag,
        int cpu,
        int memoryMiB,
        int minTasks,
        int maxTasks,
        int cpuTarget,
        int connectionsPerTask,
        Optional<String> vpcId,
        int natGateways,
        Optional<String> certificateArn,
        Optional<String> catalogFile) {

    /** Where the model routes run. */
    public enum Compute {
        /** Everything on API Gateway and Lambda (the default). */
        LAMBDA("lambda"),
        /** The model routes also on an ECS Fargate service behind an ALB; the rest stays on API Gateway and Lambda. */
        FARGATE_CHAT("fargate-chat"),
        /** Every route on the Fargate service behind the ALB (API Gateway and Lambda stay deployed beside it). */
        FARGATE_ALL("fargate-all");

        private final String value;

        Compute(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Compute parse(String value) {
            for (Compute compute : values()) {
                if (compute.value.equals(value.toLowerCase(Locale.ROOT))) {
                    return compute;
                }
            }
            throw new IllegalArgumentException("context 'compute' must be lambda, fargate-chat or fargate-all, not '"
                    + value + "'");
        }
    }

    /** The sizes docs/COSTS.md prices: 1 vCPU and 2 GB per task, at least two tasks, 60 % CPU. */
    static final int DEFAULT_CPU = 1024;
    static final int DEFAULT_MEMORY_MIB = 2048;
    static final int DEFAULT_MIN_TASKS = 2;
    static final int DEFAULT_MAX_TASKS = 10;
    static final int DEFAULT_CPU_TARGET = 60;
    /** Idle streams cost a task little CPU but a socket and buffers each; CPU scales first while streams are busy. */
    static final int DEFAULT_CONNECTIONS_PER_TASK = 200;
    static final String DEFAULT_IMAGE_REPOSITORY = "tollgate";
    static final String DEFAULT_IMAGE_TAG = "latest";
    private static final Set<Integer> FARGATE_CPU = Set.of(256, 512, 1024, 2048, 4096, 8192, 16384);

    public ComputeSettings {
        if (!FARGATE_CPU.contains(cpu)) {
            throw new IllegalArgumentException("context 'fargateCpu' must be one of Fargate's sizes " + FARGATE_CPU
                    + " (1024 = 1 vCPU), not " + cpu);
        }
        if (minTasks < 1 || maxTasks < minTasks) {
            throw new IllegalArgumentException("context 'fargateMinTasks' must be at least 1 and 'fargateMaxTasks' at least "
                    + "as many (" + minTasks + ", " + maxTasks + ")");
        }
        if (cpuTarget < 10 || cpuTarget > 90) {
            throw new IllegalArgumentException("context 'fargateCpuTarget' must be a percentage from 10 to 90, not " + cpuTarget);
        }
        if (connectionsPerTask < 1 || natGateways < 0 || memoryMiB < 512) {
            throw new IllegalArgumentException("context 'fargateConnectionsPerTask' must be at least 1, 'natGateways' 0 or "
                    + "more and 'fargateMemoryMiB' at least 512");
        }
    }

    /** Settings from the context of {@code node}; every field has a default. */
    public static ComputeSettings fromContext(Node node) {
        return new ComputeSettings(
                string(node, "compute").map(Compute::parse).orElse(Compute.LAMBDA),
                string(node, "fargateImageRepository").orElse(DEFAULT_IMAGE_REPOSITORY),
                string(node, "fargateImageTag").orElse(DEFAULT_IMAGE_TAG),
                integer(node, "fargateCpu", DEFAULT_CPU),
                integer(node, "fargateMemoryMiB", DEFAULT_MEMORY_MIB),
                integer(node, "fargateMinTasks", DEFAULT_MIN_TASKS),
                integer(node, "fargateMaxTasks", DEFAULT_MAX_TASKS),
                integer(node, "fargateCpuTarget", DEFAULT_CPU_TARGET),
                integer(node, "fargateConnectionsPerTask", DEFAULT_CONNECTIONS_PER_TASK),
                string(node, "vpcId"),
                integer(node, "natGateways", 1),
                string(node, "certificateArn"),
                string(node, "fargateCatalogFile"));
    }

    public boolean onFargate() {
        return compute != Compute.LAMBDA;
    }

    /** Whether the ALB serves every route, not only the model routes. */
    public boolean everything() {
        return compute == Compute.FARGATE_ALL;
    }

    private static int integer(Node node, String key, int fallback) {
        return string(node, key).map(value -> {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context '" + key + "' must be a whole number, not '" + value + "'", e);
            }
        }).orElse(fallback);
    }

    private static Optional<String> string(Node node, String key) {
        Object value = node.tryGetContext(key);
        if (value == null || value.toString().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.toString().strip());
    }
}
