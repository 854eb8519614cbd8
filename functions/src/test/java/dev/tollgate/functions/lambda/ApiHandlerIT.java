package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code api} function's handler, in-process, driven with the API Gateway REST proxy events of
 * {@code events/api/} against DynamoDB Local, with its admin token read from the fake Secrets Manager
 * through the real SDK client, exactly as on AWS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiHandlerIT {

    private LambdaHarness harness;
    private ApiHandler handler;
    private String key;

    @BeforeAll
    void start() {
        harness = LambdaHarness.start();
        ApplicationContext context = harness.context(FunctionRole.API, Map.of()).build();
        handler = new ApiHandler(context);
        key = LambdaHarness.openAccount(context, "5.00");
    }

    @AfterAll
    void stop() {
        handler.close();
        handler.getApplicationContext().close();
        harness.close();
    }

    private APIGatewayProxyResponseEvent invoke(String file) {
        return invoke(LambdaHarness.event(file, Map.of("TOLLGATE_API_KEY", key, "TOLLGATE_ADMIN_TOKEN", LambdaHarness.ADMIN_TOKEN)));
    }

    private APIGatewayProxyResponseEvent invoke(APIGatewayProxyRequestEvent event) {
        return handler.handleRequest(event, new MockLambdaContext());
    }

    private static JsonNode body(APIGatewayProxyResponseEvent response) {
        assertThat(response.getIsBase64Encoded()).as("JSON is sent as text").isNotEqualTo(Boolean.TRUE);
        return LambdaHarness.json(response.getBody(), JsonNode.class);
    }

    private static String header(APIGatewayProxyResponseEvent response, String name) {
        Map<String, String> headers = new HashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, v) -> headers.putIfAbsent(k.toLowerCase(), v.getFirst()));
        }
        return headers.get(name.toLowerCase());
    }

    /**
     * Behind API Gateway the browser's path carries the stage ({@code /prod/console}) while the application routes
     * {@code /console}: the console's redirects and cookies must keep the stage, and cookies are Secure.
     * (The event is events/api/console-get.json, shaped like the sample events recorded from API Gateway.)
     */
    @Test
    void theConsoleKeepsTheStageInRedirectsAndCookiePaths() {
        APIGatewayProxyResponseEvent console = invoke("api/console-get.json");
        APIGatewayProxyRequestEvent signIn = LambdaHarness.event("api/console-get.json", Map.of());
        signIn.setPath("/console/sign-in");
        signIn.setResource("/console/sign-in");
        signIn.getRequestContext().setPath("/prod/console/sign-in");
        APIGatewayProxyResponseEvent page = invoke(signIn);

        assertThat(console.getStatusCode()).isEqualTo(303);
        assertThat(header(console, "Location")).isEqualTo("/prod/console/sign-in");
        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getBody()).contains("href=\"/prod/console/static/console.css\"", "action=\"/prod/console/sign-in\"");
        assertThat(header(page, "Set-Cookie")).contains("Path=/prod/console", "Secure", "SameSite=Strict");
        assertThat(header(page, "Content-Security-Policy")).contains("frame-ancestors 'none'");
    }

    @Test
    void listsTheModels() {
        APIGatewayProxyResponseEvent response = invoke("api/models-list.json");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("application/json");
        JsonNode body = body(response);
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).contains("gemma3:1b", "qwen/qwen3-coder:free");
        assertThat(body.path("data").get(0).path("pricing").has("prompt_per_million")).isTrue();
    }

    @Test
    void retrievesAModelWhoseIdHasASlashThroughTheGreedyPath() {
        APIGatewayProxyResponseEvent response = invoke("api/models-retrieve.json");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(body(response).path("id").asText()).isEqualTo("qwen/qwen3-coder:free");
    }

    /** GET /openapi.yaml is a route of the api function too: no key, and the YAML as text. */
    @Test
    void servesTheOpenApiDocumentWithoutAKey() {
        APIGatewayProxyRequestEvent event = LambdaHarness.event("api/models-list.json", Map.of("TOLLGATE_API_KEY", key));
        event.setResource("/openapi.yaml");
        event.setPath("/openapi.yaml");
        event.getRequestContext().setResourcePath("/openapi.yaml");
        event.getRequestContext().setPath("/prod/openapi.yaml");
        event.getHeaders().remove("Authorization");
        event.getMultiValueHeaders().remove("Authorization");
        event.getHeaders().put("Accept", "*/*");
        event.getMultiValueHeaders().put("Accept", List.of("*/*"));

        APIGatewayProxyResponseEvent response = invoke(event);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("application/yaml");
        assertThat(response.getIsBase64Encoded()).as("API Gateway would pass base64 on as it is").isNotEqualTo(Boolean.TRUE);
        assertThat(response.getBody()).startsWith("openapi: 3.").contains("/v1/chat/completions:");
    }

    @Test
    void rejectsAMissingKeyWithTheOpenAiEnvelope() {
        APIGatewayProxyRequestEvent event = LambdaHarness.event("api/models-list.json", Map.of("TOLLGATE_API_KEY", key));
        event.getHeaders().remove("Authorization");
        event.getMultiValueHeaders().remove("Authorization");

        APIGatewayProxyResponseEvent response = invoke(event);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void reportsUsageForTheQueriedPeriod() {
        APIGatewayProxyResponseEvent response = invoke("api/usage.json");

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.path("object").asText()).isEqualTo("usage");
        assertThat(body.path("period").path("start").asText()).isEqualTo("2026-11-01");
        assertThat(body.path("period").path("end").asText()).isEqualTo("2026-11-30");
    }

    @Test
    void createsAKeyAndShowsItsSecretOnce() {
        APIGatewayProxyResponseEvent response = invoke("api/keys-create.json");

        assertThat(response.getStatusCode()).isEqualTo(201);
        JsonNode body = body(response);
        assertThat(body.path("key").asText()).startsWith("sk-tg-");
        assertThat(body.path("name").asText()).isEqualTo("ci");
    }

    @Test
    void opensAnAccountWithTheAdminTokenReadFromSecretsManager() {
        APIGatewayProxyResponseEvent response = invoke("api/admin-accounts-create.json");

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(body(response).path("balance_usd").asText()).isEqualTo("5.000000");

        APIGatewayProxyResponseEvent wrongToken = invoke(LambdaHarness.event("api/admin-accounts-create.json",
                Map.of("TOLLGATE_ADMIN_TOKEN", "not-the-token")));
        assertThat(wrongToken.getStatusCode()).isEqualTo(401);
    }

    @Test
    void answersABufferedChatCompletionThroughTheProxy() {
        APIGatewayProxyResponseEvent response = invoke("api/chat-completions-buffered.json");

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("model").asText()).isEqualTo("gemma3:1b");
        assertThat(body.path("usage").has("cost")).isTrue();
        assertThat(header(response, "x-tollgate-balance-usd")).isNotBlank();
    }

    /** On Lambda too, each request is one JSON line with its billing (JSON is the default format there). */
    @Test
    void eachRequestThroughTheProxyIsOneJsonLogLine() throws Exception {
        ch.qos.logback.classic.Logger lines = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tollgate.request");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        lines.addAppender(captured);
        try {
            APIGatewayProxyResponseEvent chat = invoke("api/chat-completions-buffered.json");
            APIGatewayProxyResponseEvent embeddings = invoke("api/embeddings.json");
            assertThat(chat.getStatusCode()).isEqualTo(200);
            assertThat(embeddings.getStatusCode()).isEqualTo(200);

            dev.tollgate.functions.telemetry.JsonLayout layout = new dev.tollgate.functions.telemetry.JsonLayout();
            List<JsonNode> logged = new java.util.ArrayList<>();
            for (var event : List.copyOf(captured.list)) {
                logged.add(LambdaHarness.json(layout.doLayout(event), JsonNode.class));
            }
            assertThat(logged).hasSize(2);
            assertThat(logged.get(0).path("request_id").asText()).isEqualTo(header(chat, "x-request-id"));
            assertThat(logged.get(0).path("endpoint").asText()).isEqualTo("POST /v1/chat/completions");
            assertThat(logged.get(0).path("model").asText()).isEqualTo("gemma3:1b");
            assertThat(logged.get(0).path("tokens_out").asLong()).isPositive();
            assertThat(logged.get(1).path("endpoint").asText()).isEqualTo("POST /v1/embeddings");
            assertThat(logged.get(1).path("tokens_in").asLong()).isPositive();
            assertThat(logged.get(1).path("http_status").asInt()).isEqualTo(200);
            assertThat(logged.toString()).doesNotContain(key);
        } finally {
            lines.detachAppender(captured);
        }
    }

    @Test
    void embedsWithTheInProcessModel() {
        APIGatewayProxyResponseEvent response = invoke("api/embeddings.json");

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.path("data").get(0).path("embedding")).hasSize(384);
    }

    /** Through the API Gateway proxy too, a retry with the same Idempotency-Key is the stored answer, not a second run. */
    @Test
    void replaysAnEmbeddingRetriedWithTheSameIdempotencyKey() {
        String idempotencyKey = "lambda-" + System.nanoTime();
        APIGatewayProxyResponseEvent first = invoke(withIdempotencyKey(idempotencyKey));
        APIGatewayProxyResponseEvent retry = invoke(withIdempotencyKey(idempotencyKey));

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(retry.getBody()).isEqualTo(first.getBody());
        assertThat(header(retry, "x-request-id")).isEqualTo(header(first, "x-request-id"));
        assertThat(header(first, "idempotent-replayed")).isNull();
        assertThat(header(retry, "idempotent-replayed")).isEqualTo("true");
    }

    private APIGatewayProxyRequestEvent withIdempotencyKey(String idempotencyKey) {
        APIGatewayProxyRequestEvent event = LambdaHarness.event("api/embeddings.json",
                Map.of("TOLLGATE_API_KEY", key, "TOLLGATE_ADMIN_TOKEN", LambdaHarness.ADMIN_TOKEN));
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("Idempotency-Key", idempotencyKey);
        event.setHeaders(headers);
        if (event.getMultiValueHeaders() != null) {
            Map<String, List<String>> multi = new HashMap<>(event.getMultiValueHeaders());
            multi.put("Idempotency-Key", List.of(idempotencyKey));
            event.setMultiValueHeaders(multi);
        }
        return event;
    }

    @Test
    void answersAnUnknownPathWithA404Envelope() {
        APIGatewayProxyRequestEvent event = LambdaHarness.event("api/models-list.json", Map.of("TOLLGATE_API_KEY", key));
        event.setPath("/v2/nothing");
        event.setResource("/v2/nothing");

        APIGatewayProxyResponseEvent response = invoke(event);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("not_found");
    }
}
