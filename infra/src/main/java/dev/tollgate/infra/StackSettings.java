package dev.tollgate.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Node;

/**
 * Everything a deployment may vary, read from CDK context ({@code cdk synth -c name=value}, or the
 * {@code context} of {@code cdk.json}). docs/DEPLOY.md lists them with their defaults.
 *
 * @param stage                 deployment stage; part of every name ({@code tollgate-<stage>-...})
 * @param lambdaBundle          the deployment package every function runs, built by
 *                              {@code ./mvnw -pl functions -am package}
 * @param arm64                 Graviton (default) or x86_64; the bundle carries native libraries for both
 * @param webAdapterLayerVersion version of AWS Lambda Web Adapter's public layer for the chat function
 * @param upstreams             upstream name to OpenAI-compatible base URL, e.g. {@code {"ollama": "https://..."}}
 * @param catalogOverlay        a catalog JSON file overlaid on the default catalog, shipped as a layer
 * @param deletionProtection    DynamoDB deletion protection, and tables and secrets retained when the stack is deleted
 *                              or a table replaced (default: on, for every stage; {@code false} for throwaway stages)
 * @param throttleRate          API stage steady-state requests per second
 * @param throttleBurst         API stage burst
 * @param logRetentionDays      retention of function and access logs
 * @param alarmEmail            subscribed to the alarm topic when set
 * @param stripeSuccessUrl      Checkout success URL ({@code {TOPUP_ID}} and {@code {CHECKOUT_SESSION_ID}} are filled in)
 * @param stripeCancelUrl       Checkout cancel URL
 * @param apiGatewayLogsRole    create API Gateway's account-wide CloudWatch Logs role (needed for access logs,
 *                              once per account and region; switch off if the account already has one)
 * @param secretsRevision       any new value makes every function start fresh instances (and SnapStart snapshots),
 *                              which read the secrets again: how a rotated secret takes effect at once
 * @param concurrency           reserved concurrency per function, so that chat cannot starve the others
 */
public record StackSettings(
        String stage,
        Path lambdaBundle,
        boolean arm64,
        int webAdapterLayerVersion,
        Map<String, String> upstreams,
        Optional<Path> catalogOverlay,
        boolean deletionProtection,
        double throttleRate,
        int throttleBurst,
        int logRetentionDays,
        Optional<String> alarmEmail,
        Optional<String> stripeSuccessUrl,
        Optional<String> stripeCancelUrl,
        boolean apiGatewayLogsRole,
        String secretsRevision,
        Concurrency concurrency) {

    static final String DEFAULT_STAGE = "dev";
    static final String DEFAULT_BUNDLE = "../functions/target/tollgate-lambda.zip";
    static final int DEFAULT_WEB_ADAPTER_LAYER_VERSION = 25;
    /** Upstream names become environment variable segments (TOLLGATE_UPSTREAMS_<NAME>_BASE_URL). */
    private static final Pattern UPSTREAM_NAME = Pattern.compile("[a-z][a-z0-9]*");
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");

    public StackSettings {
        if (!STAGE_NAME.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage '" + stage + "' must be lower-case letters, digits and '-', "
                    + "at most 20 characters: it is part of table, function and API names");
        }
        upstreams.keySet().forEach(name -> {
            if (!UPSTREAM_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("upstream name '" + name + "' must be lower-case letters and digits "
                        + "(it becomes TOLLGATE_UPSTREAMS_<NAME>_BASE_URL)");
            }
        });
        upstreams = Map.copyOf(upstreams);
        if (!Set.of(1, 7, 14, 30, 90, 180, 365).contains(logRetentionDays)) {
            throw new IllegalArgumentException("logRetentionDays must be 1, 7, 14, 30, 90, 180 or 365");
        }
    }

    /** Settings from the context of {@code node} (the app's or a stack's). */
    public static StackSettings fromContext(Node node) {
        String stage = string(node, "stage").orElse(DEFAULT_STAGE);
        return new StackSettings(
                stage,
                Path.of(string(node, "lambdaBundle").orElse(DEFAULT_BUNDLE)),
                !"x86_64".equals(string(node, "architecture").orElse("arm64")),
                string(node, "webAdapterLayerVersion").map(Integer::parseInt).orElse(DEFAULT_WEB_ADAPTER_LAYER_VERSION),
                upstreams(node),
                string(node, "catalogOverlay").map(Path::of),
                // On unless switched off: a stage left unprotected by mistake can lose its ledger to one `cdk destroy`.
                string(node, "deletionProtection").map(StackSettings::bool).orElse(true),
                string(node, "throttleRateLimit").map(Double::parseDouble).orElse(100.0),
                string(node, "throttleBurstLimit").map(Integer::parseInt).orElse(200),
                string(node, "logRetentionDays").map(Integer::parseInt).orElse(30),
                string(node, "alarmEmail"),
                string(node, "stripeSuccessUrl"),
                string(node, "stripeCancelUrl"),
                string(node, "apiGatewayLogsRole").map(Boolean::parseBoolean).orElse(true),
                string(node, "secretsRevision").orElse("1"),
                new Concurrency(
                        integer(node, "apiReservedConcurrency", Concurrency.DEFAULT_API),
                        integer(node, "stripeWebhookReservedConcurrency", Concurrency.DEFAULT_STRIPE_WEBHOOK),
                        integer(node, "reconcilerReservedConcurrency", Concurrency.DEFAULT_RECONCILER),
                        integer(node, "chatReservedConcurrency", Concurrency.DEFAULT_CHAT)));
    }

    /**
     * Reserved concurrency of each function; 0 reserves nothing (the function shares the account's unreserved
     * pool). A reservation both sets concurrency aside for a function and caps it there. Chat streams hold an
     * instance for minutes each, so a burst of them can take every unreserved instance in the region: reserving
     * for {@code api}, {@code stripe-webhook} and the {@code reconciler} keeps keys, billing, webhooks and hold
     * release working through it. Chat is left uncapped by default; a value caps it (and reserves that much).
     * Lambda keeps at least 100 of the account's concurrency unreserved, so the sum must stay below the account's
     * limit minus 100 (docs/DEPLOY.md).
     */
    public record Concurrency(int api, int stripeWebhook, int reconciler, int chat) {

        /** The stage lets 100 requests per second through by default (throttleRateLimit); most api routes take well under a second. */
        static final int DEFAULT_API = 100;
        /** Stripe sends a handful of events per payment and retries any that fail. */
        static final int DEFAULT_STRIPE_WEBHOOK = 10;
        /** One run a minute; two let a slow run overlap the next without a throttle. */
        static final int DEFAULT_RECONCILER = 2;
        static final int DEFAULT_CHAT = 0;

        public Concurrency {
            for (int value : new int[] {api, stripeWebhook, reconciler, chat}) {
                if (value < 0) {
                    throw new IllegalArgumentException("reserved concurrency must be 0 (none) or more, not " + value);
                }
            }
        }
    }

    /** Table names start with this; the functions get it as TOLLGATE_DYNAMODB_TABLE_PREFIX. */
    public String tablePrefix() {
        return "tollgate-" + stage + "-";
    }

    /** Function, API and alarm names: {@code tollgate-<stage>-<what>}. */
    public String name(String what) {
        return "tollgate-" + stage + "-" + what;
    }

    /** Retention of function and access logs. */
    public RetentionDays logRetention() {
        return switch (logRetentionDays) {
            case 1 -> RetentionDays.ONE_DAY;
            case 7 -> RetentionDays.ONE_WEEK;
            case 14 -> RetentionDays.TWO_WEEKS;
            case 30 -> RetentionDays.ONE_MONTH;
            case 90 -> RetentionDays.THREE_MONTHS;
            case 180 -> RetentionDays.SIX_MONTHS;
            case 365 -> RetentionDays.ONE_YEAR;
            default -> throw new IllegalStateException("checked in the constructor");
        };
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

    /** {@code true} or {@code false} only: a typo must not silently switch off deletion protection. */
    private static boolean bool(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("context 'deletionProtection' must be true or false, not '"
                    + value + "'");
        };
    }

    private static Optional<String> string(Node node, String key) {
        Object value = node.tryGetContext(key);
        if (value == null || value.toString().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.toString().strip());
    }

    /** A map in cdk.json, or a JSON object string from {@code -c upstreams='{"ollama":"https://..."}'}. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> upstreams(Node node) {
        Object value = node.tryGetContext("upstreams");
        if (value == null) {
            return Map.of();
        }
        Map<String, Object> raw;
        if (value instanceof Map<?, ?> map) {
            raw = (Map<String, Object>) map;
        } else {
            try {
                raw = new ObjectMapper().readValue(value.toString(), new TypeReference<Map<String, Object>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException("context 'upstreams' must be a JSON object of name to base URL, "
                        + "e.g. {\"ollama\": \"https://ollama.example.com/v1\"}", e);
            }
        }
        Map<String, String> upstreams = new LinkedHashMap<>();
        raw.forEach((name, url) -> upstreams.put(name, String.valueOf(url)));
        return upstreams;
    }
}
