package dev.tollgate.infra;

import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/**
 * The two container shapes, each synthesized once per JVM and shared by the tests that read them (a synthesis takes
 * seconds): {@code fargate-chat} with everything at its default but a Bedrock upstream and a catalog overlay, and
 * {@code fargate-all} with every container setting changed.
 */
final class FargateSynth {

    static final String CATALOG_IN_IMAGE = "/app/catalog/bedrock-overlay.json";
    static final String CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000000";

    private static Template chat;
    private static Template all;

    private FargateSynth() {
    }

    static synchronized Template chatShape() {
        if (chat == null) {
            chat = Template.fromStack(Synth.stack(Map.of("compute", "fargate-chat",
                    "upstreams", Map.of("ollama", "https://ollama.example.com/v1", "bedrock", "bedrock:eu-west-1"),
                    "catalogOverlay", "src/test/resources/catalog/bedrock-overlay.json",
                    "fargateCatalogFile", CATALOG_IN_IMAGE,
                    "fargateImageTag", "v1.2.3")));
        }
        return chat;
    }

    static synchronized Template allShape() {
        if (all == null) {
            all = Template.fromStack(Synth.stack(Map.ofEntries(Map.entry("compute", "fargate-all"),
                    Map.entry("certificateArn", CERTIFICATE), Map.entry("natGateways", "0"),
                    Map.entry("fargateMinTasks", "3"), Map.entry("fargateMaxTasks", "20"),
                    Map.entry("fargateCpu", "2048"), Map.entry("fargateMemoryMiB", "4096"),
                    Map.entry("fargateCpuTarget", "50"), Map.entry("fargateConnectionsPerTask", "400"),
                    Map.entry("architecture", "x86_64"), Map.entry("fargateImageRepository", "acme/tollgate"),
                    Map.entry("fargateImageTag", "2026-12-06"),
                    Map.entry("stripeSuccessUrl", "https://tollgate.example.com/paid?topup={TOPUP_ID}"))));
        }
        return all;
    }
}
