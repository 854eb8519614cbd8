package dev.tollgate.infra;

import dev.tollgate.catalog.CatalogLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The four functions, all from one deployment package ({@code tollgate-lambda.zip}), each with its own
 * role holding only what it uses:
 *
 * <pre>
 * function        handler                 tables                                 secrets
 * api             ApiHandler (SnapStart)  all                                    admin token, Stripe API key, upstream keys
 * chat            run.sh (Web Adapter)    accounts keys ledger holds usage       upstream keys
 * stripe-webhook  StripeWebhookHandler    topups ledger accounts                 webhook signing secret
 * reconciler      ReconcilerHandler       holds accounts keys ledger             none
 * </pre>
 *
 * Each function's reserved concurrency comes from {@link StackSettings.Concurrency}: by default api,
 * stripe-webhook and the reconciler have some set aside, so long chat streams cannot take every instance.
 *
 * <p>Memory sizes come from measurement (docs/PERFORMANCE.md, "Cold start on Lambda"): Lambda gives CPU in
 * proportion to memory, and a JVM's start-up is CPU-bound, so the request-serving functions get more than
 * their heap needs.
 */
public final class LambdaFunctions extends Construct {

    public static final String API_HANDLER = "dev.tollgate.functions.lambda.ApiHandler::handleRequest";
    public static final String STRIPE_WEBHOOK_HANDLER = "dev.tollgate.functions.lambda.StripeWebhookHandler::handleRequest";
    public static final String RECONCILER_HANDLER = "dev.tollgate.functions.lambda.ReconcilerHandler::handleRequest";
    /** The chat function's "handler" is the script the Web Adapter runs (functions/src/main/lambda/run.sh). */
    public static final String CHAT_HANDLER = "run.sh";
    /** Where the Web Adapter probes the server before the first invocation (ChatServer.READINESS_PATH). */
    public static final String CHAT_READINESS_PATH = "/v1/models";
    public static final String WEB_ADAPTER_ACCOUNT = "753240598075";

    static final int API_MEMORY_MB = 2048;
    static final int CHAT_MEMORY_MB = 1024;
    static final int STRIPE_WEBHOOK_MEMORY_MB = 1024;
    static final int RECONCILER_MEMORY_MB = 512;
    /** API Gateway ends a buffered integration at 29 s. */
    static final Duration API_TIMEOUT = Duration.seconds(30);
    /** Lambda's maximum: a streamed generation may run up to tollgate.stream.max-duration (14 min). */
    static final Duration CHAT_TIMEOUT = Duration.minutes(15);

    /** The repository's jvm.options less the heap's size, plus C1 only: the fastest start (docs/PERFORMANCE.md, {@link JvmOptions}). */
    static final String JAVA_TOOL_OPTIONS = JvmOptions.forLambda();

    private final Function api;
    private final Alias apiLive;
    private final Function chat;
    private final Function stripeWebhook;
    private final Alias stripeWebhookLive;
    private final Function reconciler;

    public LambdaFunctions(Construct scope, String id, StackSettings settings, Tables tables, Secrets secrets) {
        super(scope, id);
        Code code = bundle(settings);
        Map<String, String> catalog = new LinkedHashMap<>();
        List<ILayerVersion> catalogLayers = catalogOverlay(settings, catalog);
        Map<String, String> models = upstreamEnvironment(settings);
        models.putAll(catalog);
        api = apiFunction(settings, code, models, catalogLayers, tables, secrets);
        apiLive = live(api, "ApiLive");
        chat = chatFunction(settings, code, models, catalogLayers, tables, secrets);
        stripeWebhook = stripeWebhookFunction(settings, code, tables, secrets);
        stripeWebhookLive = live(stripeWebhook, "StripeWebhookLive");
        reconciler = reconcilerFunction(settings, code, tables, secrets);
    }

    private Function apiFunction(StackSettings settings, Code code, Map<String, String> models,
                                 List<ILayerVersion> catalogLayers, Tables tables, Secrets secrets) {
        Map<String, String> env = base(settings);
        env.putAll(models);
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        // DJL (the embedding model's tokenizer) unpacks its native library under the cache dir: $HOME is read-only on Lambda.
        env.put("DJL_CACHE_DIR", "/tmp/djl");
        settings.stripeSuccessUrl().ifPresent(url -> env.put("TOLLGATE_STRIPE_SUCCESS_URL", url));
        settings.stripeCancelUrl().ifPresent(url -> env.put("TOLLGATE_STRIPE_CANCEL_URL", url));
        secretArn(env, "TOLLGATE_SECRET_ARN_ADMIN_TOKEN", secrets.adminToken());
        secretArn(env, "TOLLGATE_SECRET_ARN_STRIPE_API_KEY", secrets.stripeApiKey());
        secretArn(env, "TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS", secrets.upstreamApiKeys());
        secretArn(env, "TOLLGATE_SECRET_ARN_CONSOLE_SESSION_SECRET", secrets.consoleSessionSecret());
        Function function = function(settings, "api", "Api", API_HANDLER, API_MEMORY_MB, API_TIMEOUT, env, code,
                catalogLayers, "REST routes except chat and the Stripe webhook (API Gateway proxy, SnapStart)", true,
                settings.concurrency().api());
        RolePermissions.api(function, tables, secrets);
        return function;
    }

    private Function chatFunction(StackSettings settings, Code code, Map<String, String> models,
                                  List<ILayerVersion> catalogLayers, Tables tables, Secrets secrets) {
        Map<String, String> env = base(settings);
        env.putAll(models);
        env.put("AWS_LAMBDA_EXEC_WRAPPER", "/opt/bootstrap");
        env.put("AWS_LWA_INVOKE_MODE", "response_stream");
        env.put("AWS_LWA_PORT", "8080");
        env.put("AWS_LWA_READINESS_CHECK_PATH", CHAT_READINESS_PATH);
        // The application refuses to start if a stream could not end and settle before this timeout.
        env.put("TOLLGATE_FUNCTION_TIMEOUT", CHAT_TIMEOUT.toSeconds().intValue() + "s");
        secretArn(env, "TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS", secrets.upstreamApiKeys());
        List<ILayerVersion> layers = new ArrayList<>(catalogLayers);
        layers.addFirst(LayerVersion.fromLayerVersionArn(this, "WebAdapterLayer", webAdapterLayerArn(settings)));
        // No SnapStart: the runtime's CRaC hooks never run here (run.sh replaces the Java runtime's own process),
        // and a snapshot would freeze the Netty server's listening socket and the adapter's connection to it.
        Function function = function(settings, "chat", "Chat", CHAT_HANDLER, CHAT_MEMORY_MB, CHAT_TIMEOUT, env, code,
                layers, "POST /v1/chat/completions and the other model routes, buffered and streamed (Netty server behind Lambda Web Adapter)", false,
                settings.concurrency().chat());
        RolePermissions.chat(function, settings, tables, secrets);
        return function;
    }

    private Function stripeWebhookFunction(StackSettings settings, Code code, Tables tables, Secrets secrets) {
        Map<String, String> env = base(settings);
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        secretArn(env, "TOLLGATE_SECRET_ARN_STRIPE_WEBHOOK_SECRET", secrets.stripeWebhookSecret());
        Function function = function(settings, "stripe-webhook", "StripeWebhook", STRIPE_WEBHOOK_HANDLER,
                STRIPE_WEBHOOK_MEMORY_MB, API_TIMEOUT, env, code, List.of(),
                "POST /webhooks/stripe: verifies Stripe-Signature, credits top-ups once", true,
                settings.concurrency().stripeWebhook());
        RolePermissions.stripeWebhook(function, tables, secrets);
        return function;
    }

    private Function reconcilerFunction(StackSettings settings, Code code, Tables tables, Secrets secrets) {
        Map<String, String> env = base(settings);
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        // Each run also retries due alert deliveries and starts the auto top-ups the chat function claimed: the one
        // scheduled place besides the API that holds the Stripe key (an off-session PaymentIntent per crossing).
        secretArn(env, "TOLLGATE_SECRET_ARN_STRIPE_API_KEY", secrets.stripeApiKey());
        Function function = function(settings, "reconciler", "Reconciler", RECONCILER_HANDLER, RECONCILER_MEMORY_MB,
                Duration.minutes(5), env, code, List.of(), "Every minute: releases expired holds, retries alert deliveries, starts auto top-ups", false,
                settings.concurrency().reconciler());
        RolePermissions.reconciler(function, tables, secrets);
        Rule.Builder.create(this, "ReconcilerSchedule")
                .ruleName(settings.name("reconciler-every-minute"))
                .description("Releases holds whose request never settled")
                .schedule(Schedule.rate(Duration.minutes(1)))
                // No retries: the next run is a minute away, and a release is idempotent anyway.
                .targets(List.of(LambdaFunction.Builder.create(function).retryAttempts(0).build()))
                .build();
        return function;
    }

    private Function function(StackSettings settings, String name, String id, String handler, int memory,
                              Duration timeout, Map<String, String> env, Code code, List<ILayerVersion> layers,
                              String description, boolean snapStart, int reservedConcurrency) {
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .logGroupName("/aws/lambda/" + settings.name(name))
                .retention(settings.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Function.Builder builder = Function.Builder.create(this, id)
                .functionName(settings.name(name))
                .description("Tollgate " + settings.stage() + ": " + description)
                .runtime(Runtime.JAVA_21)
                .architecture(settings.arm64() ? Architecture.ARM_64 : Architecture.X86_64)
                .handler(handler)
                .code(code)
                .memorySize(memory)
                .timeout(timeout)
                .environment(env)
                .layers(layers)
                .logGroup(logs);
        if (snapStart) {
            builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        // 0 means "no reservation" here; to Lambda a reservation of 0 would mean "never run" (StackSettings.Concurrency).
        if (reservedConcurrency > 0) {
            builder.reservedConcurrentExecutions(reservedConcurrency);
        }
        Function function = builder.build();
        if (snapStart) {
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "versions are published: API Gateway invokes the 'live' alias of the current version");
        }
        return function;
    }

    /** SnapStart snapshots published versions; API Gateway invokes this alias, which follows the latest one. */
    private static Alias live(Function function, String id) {
        return Alias.Builder.create(function, id).aliasName("live").version(function.getCurrentVersion()).build();
    }

    static void secretArn(Map<String, String> env, String variable, ISecret secret) {
        env.put(variable, secret.getSecretArn());
    }

    static Map<String, String> base(StackSettings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TOLLGATE_DYNAMODB_TABLE_PREFIX", settings.tablePrefix());
        env.put("TOLLGATE_DYNAMODB_REGION", Aws.REGION);
        // Not read by the application: a new value changes every function's configuration, so Lambda replaces
        // all running instances and they read the (rotated) secrets again (docs/DEPLOY.md, "Rotating a secret").
        env.put("TOLLGATE_SECRETS_REVISION", settings.secretsRevision());
        return env;
    }

    static Map<String, String> upstreamEnvironment(StackSettings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.upstreams().forEach((name, target) -> BedrockAccess.environment(name, target, env));
        return env;
    }

    private Code bundle(StackSettings settings) {
        Path bundle = settings.lambdaBundle();
        if (!Files.exists(bundle)) {
            throw new IllegalStateException("The Lambda bundle " + bundle.toAbsolutePath() + " does not exist. Build it "
                    + "first: ./mvnw -B package -DskipTests (from the repository root), then synth again.");
        }
        if (settings.upstreams().isEmpty()) {
            Annotations.of(this).addWarningV2("tollgate:no-upstreams", "No upstreams in context: chat goes to the "
                    + "default http://localhost:11434/v1, which does not exist on Lambda. Pass -c upstreams='{\"ollama\": \"https://...\"}'.");
        }
        return Code.fromAsset(bundle.toString());
    }

    /**
     * A catalog overlay ships as a layer holding just that file, mounted at {@code /opt/<file>}, and the
     * functions read it through TOLLGATE_CATALOG_FILES. It is loaded here first, so a broken catalog fails
     * the synth rather than the functions.
     */
    private List<ILayerVersion> catalogOverlay(StackSettings settings, Map<String, String> env) {
        if (settings.catalogOverlay().isEmpty()) {
            return List.of();
        }
        Path file = settings.catalogOverlay().get().toAbsolutePath();
        CatalogLoader.loadWithOverlays(List.of(file));
        String name = file.getFileName().toString();
        LayerVersion layer = LayerVersion.Builder.create(this, "CatalogOverlay")
                .layerVersionName(settings.name("catalog"))
                .description("Tollgate catalog overlay " + name)
                .code(Code.fromAsset(file.getParent().toString(), AssetOptions.builder()
                        .exclude(List.of("*", "!" + name)).build()))
                .build();
        env.put("TOLLGATE_CATALOG_FILES", "/opt/" + name);
        return List.of(layer);
    }

    private static String webAdapterLayerArn(StackSettings settings) {
        return "arn:" + Aws.PARTITION + ":lambda:" + Aws.REGION + ":" + WEB_ADAPTER_ACCOUNT + ":layer:"
                + (settings.arm64() ? "LambdaAdapterLayerArm64" : "LambdaAdapterLayerX86") + ":" + settings.webAdapterLayerVersion();
    }

    public Function api() {
        return api;
    }

    /** The alias API Gateway invokes (SnapStart needs a published version). */
    public Alias apiLive() {
        return apiLive;
    }

    public Function chat() {
        return chat;
    }

    public Function stripeWebhook() {
        return stripeWebhook;
    }

    public Alias stripeWebhookLive() {
        return stripeWebhookLive;
    }

    public Function reconciler() {
        return reconciler;
    }
}
