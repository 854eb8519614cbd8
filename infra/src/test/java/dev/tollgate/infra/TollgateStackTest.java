package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized stack: functions, SnapStart, Web Adapter, API routes and modes, secrets, outputs, alarms. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class TollgateStackTest {

    private Template template;
    private TemplateJson json;

    @BeforeAll
    void synthesize() {
        template = Synth.fullStack();
        json = new TemplateJson(template);
    }

    private static String fn(String name) {
        return "tollgate-" + Synth.STAGE + "-" + name;
    }

    @Test
    void carriesTheStackDescriptionAndOutputs() {
        assertThat(template.toJSON()).containsEntry("Description", "Tollgate pay-per-request OpenAI-compatible API");
        template.hasOutput("Stage", Map.of("Value", Synth.STAGE));
        assertThat(template.findOutputs("*")).containsKeys("ApiUrl", "WebhookUrl", "AdminTokenSecret", "StripeApiKeySecret",
                "StripeWebhookSecretSecret", "UpstreamApiKeysSecret", "ConsoleSessionSecret", "ConsoleUrl", "AlarmTopic");
        assertThat(TemplateJson.json(template.findOutputs("ApiUrl"))).contains("/v1").contains(".execute-api.");
        assertThat(TemplateJson.json(template.findOutputs("WebhookUrl"))).contains("webhooks/stripe");
    }

    @Test
    void readsTheStageFromContextAndDefaultsToDev() {
        assertThat(TollgateApp.stage(new App())).isEqualTo("dev");
        App prod = new App(AppProps.builder().context(Map.of("stage", "prod")).build());
        assertThat(TollgateApp.stage(prod)).isEqualTo("prod");
        assertThat(StackSettings.fromContext(prod.getNode()).deletionProtection()).as("on by default for prod").isTrue();
        assertThat(TollgateApp.stackId("prod")).isEqualTo("Tollgate-prod");
        assertThatThrownBy(() -> StackSettings.fromContext(new App(AppProps.builder()
                .context(Map.of("upstreams", "{\"Bad-Name\": \"https://x\"}")).build()).getNode()))
                .hasMessageContaining("Bad-Name");
    }

    @Test
    void declaresFourJavaFunctionsOnArm64FromOneBundle() {
        Map<String, Map<String, Object>> functions = json.ofType("AWS::Lambda::Function");
        assertThat(functions.values().stream().map(f -> f.get("FunctionName")))
                .containsExactlyInAnyOrder(fn("api"), fn("chat"), fn("stripe-webhook"), fn("reconciler"));
        assertThat(functions.values()).allSatisfy(f -> {
            assertThat(f.get("Runtime")).isEqualTo("java21");
            assertThat(f.get("Architectures")).isEqualTo(List.of("arm64"));
        });
        assertThat(functions.values().stream().map(f -> TemplateJson.json(f.get("Code"))).collect(Collectors.toSet()))
                .as("one asset for all four").hasSize(1);
        assertThat(json.function(fn("api")).get("Handler")).isEqualTo(LambdaFunctions.API_HANDLER);
        assertThat(json.function(fn("stripe-webhook")).get("Handler")).isEqualTo(LambdaFunctions.STRIPE_WEBHOOK_HANDLER);
        assertThat(json.function(fn("reconciler")).get("Handler")).isEqualTo(LambdaFunctions.RECONCILER_HANDLER);
        assertThat(json.function(fn("api")).get("MemorySize")).isEqualTo(LambdaFunctions.API_MEMORY_MB);
        assertThat(json.function(fn("api")).get("Timeout")).isEqualTo(30);
    }

    @Test
    void snapStartIsOnForTheProxyFunctionsWhichApiGatewayCallsThroughAnAlias() {
        for (String name : List.of("api", "stripe-webhook")) {
            assertThat(json.function(fn(name)).get("SnapStart")).as(name).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        }
        assertThat(json.function(fn("chat"))).doesNotContainKey("SnapStart");
        assertThat(json.function(fn("reconciler"))).doesNotContainKey("SnapStart");
        template.resourcePropertiesCountIs("AWS::Lambda::Alias", Map.of("Name", "live"), 2);
        template.resourceCountIs("AWS::Lambda::Version", 2);
    }

    @Test
    void runsTheChatFunctionBehindTheWebAdapterInResponseStreamMode() {
        Map<String, Object> chat = json.function(fn("chat"));
        assertThat(chat.get("Handler")).isEqualTo("run.sh");
        assertThat(chat.get("Timeout")).as("Lambda's maximum, for the longest generation").isEqualTo(900);
        assertThat(json.environment(fn("chat"))).containsEntry("AWS_LAMBDA_EXEC_WRAPPER", "/opt/bootstrap")
                .containsEntry("AWS_LWA_INVOKE_MODE", "response_stream")
                .containsEntry("AWS_LWA_PORT", "8080")
                .containsEntry("TOLLGATE_FUNCTION_TIMEOUT", "900s")
                .containsEntry("AWS_LWA_READINESS_CHECK_PATH", "/v1/models");
        assertThat(TemplateJson.json(chat.get("Layers")))
                .contains(":753240598075:layer:LambdaAdapterLayerArm64:" + StackSettings.DEFAULT_WEB_ADAPTER_LAYER_VERSION);
    }

    @Test
    void streamsTheModelRoutesAndBuffersEveryOtherOne() {
        Map<String, Map<String, Object>> methods = json.ofType("AWS::ApiGateway::Method");
        assertThat(methods).hasSize(ApiRoutes.ALL.size());
        List<Map<String, Object>> streaming = methods.values().stream()
                .filter(m -> "STREAM".equals(integration(m).get("ResponseTransferMode"))).toList();
        assertThat(streaming).hasSize((int) ApiRoutes.ALL.stream().filter(r -> r.target() == ApiRoutes.Target.CHAT).count())
                .hasSizeGreaterThan(1);
        assertThat(streaming).allSatisfy(method -> {
            assertThat(method.get("HttpMethod")).isEqualTo("POST");
            assertThat(TemplateJson.json(integration(method).get("Uri")))
                    .as("InvokeWithResponseStream").contains("response-streaming-invocations")
                    .contains(json.idOf("AWS::Lambda::Function", "FunctionName", fn("chat")));
            assertThat(integration(method).get("TimeoutInMillis")).isEqualTo(900_000);
        });
        assertThat(methods.values()).allSatisfy(m -> {
            assertThat(m.get("AuthorizationType")).isEqualTo("NONE");
            assertThat(integration(m).get("Type")).isEqualTo("AWS_PROXY");
        });
    }

    @Test
    void routesEachPathToItsFunction() {
        Map<String, Map<String, Object>> resources = json.ofType("AWS::ApiGateway::Resource");
        assertThat(resources.values().stream().map(r -> r.get("PathPart")))
                .contains("v1", "models", "{id+}", "chat", "completions", "embeddings", "usage", "keys", "{id}",
                        "billing", "checkout", "admin", "accounts", "{accountId}", "credits", "webhooks", "stripe");
        String webhookAlias = json.idOf("AWS::Lambda::Alias", "FunctionName",
                Map.of("Ref", json.idOf("AWS::Lambda::Function", "FunctionName", fn("stripe-webhook"))));
        long toWebhook = json.ofType("AWS::ApiGateway::Method").values().stream()
                .filter(m -> TemplateJson.json(integration(m).get("Uri")).contains(webhookAlias)).count();
        assertThat(toWebhook).as("only POST /webhooks/stripe reaches the webhook function").isEqualTo(1);
        assertThat(json.ofType("AWS::Lambda::Permission").values())
                .filteredOn(p -> "apigateway.amazonaws.com".equals(p.get("Principal")))
                .as("one permission per function and API, not per method").hasSize(3);
    }

    @Test
    void throttlesTheStageAndWritesAccessLogs() {
        template.hasResourceProperties("AWS::ApiGateway::Stage", Map.of(
                "StageName", Synth.STAGE,
                "MethodSettings", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "ThrottlingRateLimit", 100, "ThrottlingBurstLimit", 200)))),
                "AccessLogSetting", Match.objectLike(Map.of("Format", Match.stringLikeRegexp(".*requestId.*")))));
        template.resourceCountIs("AWS::ApiGateway::Account", 1);
    }

    @Test
    void answersGatewayErrorsWithTheOpenAiEnvelope() {
        Map<String, Map<String, Object>> responses = json.ofType("AWS::ApiGateway::GatewayResponse");
        assertThat(responses.values().stream().map(r -> r.get("ResponseType"))).contains("MISSING_AUTHENTICATION_TOKEN",
                "THROTTLED", "REQUEST_TOO_LARGE", "INTEGRATION_TIMEOUT", "DEFAULT_4XX", "DEFAULT_5XX");
        assertThat(responses.values()).allSatisfy(r -> assertThat(TemplateJson.json(r.get("ResponseTemplates")))
                .contains("\\\"error\\\":{\\\"message\\\":"));
    }

    @Test
    void keepsSecretsInSecretsManagerAndGivesFunctionsOnlyTheirArns() {
        assertThat(json.ofType("AWS::SecretsManager::Secret").values().stream().map(s -> s.get("Name")))
                .containsExactlyInAnyOrder("tollgate/test/admin-token", "tollgate/test/stripe-api-key",
                        "tollgate/test/stripe-webhook-secret", "tollgate/test/upstream-api-keys",
                        "tollgate/test/console-session-secret");
        assertThat(json.environment(fn("api")).keySet()).contains("TOLLGATE_SECRET_ARN_ADMIN_TOKEN",
                "TOLLGATE_SECRET_ARN_STRIPE_API_KEY", "TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS",
                "TOLLGATE_SECRET_ARN_CONSOLE_SESSION_SECRET");
        assertThat(json.environment(fn("stripe-webhook")).keySet()).filteredOn(k -> k.startsWith("TOLLGATE_SECRET_ARN_"))
                .containsExactly("TOLLGATE_SECRET_ARN_STRIPE_WEBHOOK_SECRET");
        assertThat(json.ofType("AWS::Lambda::Function").values()).allSatisfy(f ->
                assertThat(TemplateJson.json(f.get("Environment"))).doesNotContain("sk_").doesNotContain("whsec_"));
    }

    @Test
    void passesUpstreamsStageTablesAndTheCatalogOverlayThroughContext() {
        for (String name : List.of("api", "chat")) {
            assertThat(json.environment(fn(name)))
                    .containsEntry("TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL", "https://ollama.example.com/v1")
                    .containsEntry("TOLLGATE_UPSTREAMS_GROQ_BASE_URL", "https://api.groq.com/openai/v1")
                    .containsEntry("TOLLGATE_CATALOG_FILES", "/opt/groq-overlay.json")
                    .containsEntry("TOLLGATE_DYNAMODB_TABLE_PREFIX", "tollgate-test-");
        }
        template.resourceCountIs("AWS::Lambda::LayerVersion", 1);
        assertThat(json.ofType("AWS::Lambda::Function").values()).as("a new secretsRevision replaces every instance")
                .allSatisfy(f -> assertThat(TemplateJson.json(f.get("Environment"))).contains("TOLLGATE_SECRETS_REVISION"));
        assertThat(json.environment(fn("api"))).containsEntry("DJL_CACHE_DIR", "/tmp/djl")
                .containsEntry("TOLLGATE_STRIPE_SUCCESS_URL", "https://tollgate.example.com/billing/done?topup={TOPUP_ID}");
    }

    @Test
    void aBrokenCatalogOverlayFailsTheSynthNotTheFunctions() {
        assertThatThrownBy(() -> Synth.stack(Map.of("catalogOverlay", "src/test/resources/catalog-broken/broken.json")))
                .hasMessageContaining("no-pricing");
        assertThatThrownBy(() -> Synth.stack(Map.of("lambdaBundle", "target/no-such-bundle.zip")))
                .hasMessageContaining("./mvnw -B package -DskipTests");
    }

    @Test
    void schedulesTheReconcilerEveryMinuteWithoutRetries() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Targets", List.of(Match.objectLike(Map.of("RetryPolicy", Map.of("MaximumRetryAttempts", 0))))));
    }

    @Test
    void alarmsOn5xxRateErrorsThrottlesAndTheReconciler() {
        Set<Object> names = json.ofType("AWS::CloudWatch::Alarm").values().stream().map(a -> a.get("AlarmName"))
                .collect(Collectors.toSet());
        assertThat(names).contains(fn("Api5xxRate"), fn("ApiErrors"), fn("ApiThrottles"), fn("ChatErrors"),
                fn("ChatThrottles"), fn("StripeWebhookErrors"), fn("StripeWebhookThrottles"), fn("DynamoThrottlesAccounts"),
                fn("DynamoThrottlesHolds"), fn("DynamoThrottlesTopups"),
                fn("ReconcilerErrors"), fn("ReconcilerNotRunning"), fn("ReconcilerBacklog"));
        assertThat(json.ofType("AWS::CloudWatch::Alarm").values()).allSatisfy(a ->
                assertThat(TemplateJson.json(a.get("AlarmActions"))).contains(json.ofType("AWS::SNS::Topic").keySet().iterator().next()));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "ops@example.com"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", fn("ReconcilerBacklog"),
                "Namespace", "Tollgate", "MetricName", "ReleasedHolds"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> integration(Map<String, Object> method) {
        return (Map<String, Object>) method.get("Integration");
    }
}
