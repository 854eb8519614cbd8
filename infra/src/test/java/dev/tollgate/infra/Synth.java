package dev.tollgate.infra;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes stacks for the tests. jsii runs the CDK in a Node.js child process, so every test here needs
 * {@code node} on the PATH; without it the tests are skipped (a fresh machine may have only a JDK), except under CI
 * ({@code CI=true}, as .ci/run and most CI services set it), where they fail: CI must not pass without ever
 * synthesizing the stack. The full stack is synthesized once per JVM and shared (jsii start-up and synthesis take
 * seconds).
 */
final class Synth {

    static final String STAGE = "test";
    static final Path PLACEHOLDER_BUNDLE = Path.of("src/test/resources/placeholder-bundle");
    static final Path CATALOG_OVERLAY = Path.of("src/test/resources/catalog/groq-overlay.json");
    static final Map<String, String> UPSTREAMS = Map.of("ollama", "https://ollama.example.com/v1",
            "groq", "https://api.groq.com/openai/v1");

    private static Template full;
    private static Template throwaway;
    private static Boolean node;

    private Synth() {
    }

    static final String NO_NODE = "CDK tests need Node.js on the PATH (jsii runs the CDK in node): install node 20+ to run them";

    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    /**
     * For {@code @EnabledIf("dev.tollgate.infra.Synth#nodeAvailable")}: whether Node.js runs here, or CI, where the
     * tests must run (and fail in {@link #assumeNode()} without it).
     */
    static synchronized boolean nodeAvailable() {
        return nodeRunsHere() || CI;
    }

    /** Skips the caller unless Node.js is installed; under CI fails it instead. */
    static void assumeNode() {
        requireNode(nodeRunsHere(), CI);
    }

    /** Nothing when node runs; otherwise a failed test under CI, a skipped one elsewhere. */
    static void requireNode(boolean runs, boolean ci) {
        if (!runs && ci) {
            fail(NO_NODE + " (CI=true: the infrastructure tests may not be skipped)");
        }
        assumeTrue(runs, NO_NODE);
    }

    private static synchronized boolean nodeRunsHere() {
        if (node == null) {
            node = nodeRuns();
        }
        return node;
    }

    /** The context every test stack gets: the placeholder bundle instead of the built zip, two upstreams. */
    static Map<String, Object> context(Map<String, Object> extra) {
        Map<String, Object> context = new HashMap<>();
        context.put("stage", STAGE);
        context.put("lambdaBundle", PLACEHOLDER_BUNDLE.toString());
        context.put("upstreams", UPSTREAMS);
        context.putAll(extra);
        return context;
    }

    /** The whole stack with a catalog overlay and an alarm e-mail, synthesized once. */
    static synchronized Template fullStack() {
        assumeNode();
        if (full == null) {
            full = Template.fromStack(stack(Map.of("catalogOverlay", CATALOG_OVERLAY.toString(), "alarmEmail", "ops@example.com",
                    "stripeSuccessUrl", "https://tollgate.example.com/billing/done?topup={TOPUP_ID}",
                    "stripeCancelUrl", "https://tollgate.example.com/billing/cancelled?topup={TOPUP_ID}")));
        }
        return full;
    }

    /** A throwaway stage: no deletion protection, nothing reserved for api, webhook and reconciler, chat capped. */
    static synchronized Template throwawayStack() {
        assumeNode();
        if (throwaway == null) {
            throwaway = Template.fromStack(stack(Map.of("deletionProtection", "false", "apiReservedConcurrency", "0",
                    "stripeWebhookReservedConcurrency", "0", "reconcilerReservedConcurrency", "0",
                    "chatReservedConcurrency", "250")));
        }
        return throwaway;
    }

    static TollgateStack stack(Map<String, Object> extraContext) {
        assumeNode();
        App app = new App(AppProps.builder().context(context(extraContext)).build());
        StackSettings settings = StackSettings.fromContext(app.getNode());
        return new TollgateStack(app, TollgateApp.stackId(settings.stage()), settings, StackProps.builder().build());
    }

    private static boolean nodeRuns() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
