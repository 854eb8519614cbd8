package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /openapi.yaml}: the document the OpenAPI processor generated, as the server serves it, checked against
 * the routes Micronaut's router really has, so that a route cannot be added, removed or moved without the
 * document following (and a controller that takes raw bytes cannot show up as an undescribed byte body).
 */
class OpenApiIT {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    static TestServer server;
    static HttpResponse<String> response;
    static Map<String, Object> document;

    @BeforeAll
    static void fetch() {
        server = TestServer.start();
        response = Http.get(server.baseUrl().resolve("/openapi.yaml"), null);
        document = new Yaml(new SafeConstructor(new LoaderOptions())).load(response.body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servedWithoutAKeyAsYaml() {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/yaml"));
    }

    @Test
    void describesExactlyTheRoutesOfTheRouter() {
        assertThat(routesInTheDocument()).isEqualTo(routesOfTheRouter())
                .contains("POST /v1/chat/completions", "GET /v1/models/{id}", "POST /admin/accounts", "GET /ready");
    }

    /** The web console's pages (another branch) are HTML for people, not API: their controllers must be @Hidden. */
    @Test
    void htmlPagesAreNotInTheDocument() {
        assertThat(paths().keySet()).as("mark the console's controllers @io.swagger.v3.oas.annotations.Hidden")
                .noneMatch(OpenApiIT::isNotApi);
    }

    @Test
    void isAnOpenApi3DocumentWhoseReferencesAllResolve() {
        assertThat((String) document.get("openapi")).startsWith("3.");
        Map<String, Object> info = map(document, "info");
        assertThat(info.get("title")).isEqualTo("Tollgate");
        assertThat((String) info.get("version")).as("the project version, expanded").matches("\\d+\\.\\d+\\.\\d+.*");
        Map<String, Object> components = map(document, "components");
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            String[] parts = ref.split("/");
            assertThat(parts).as(ref).hasSize(4).startsWith("#", "components");
            assertThat(map(components, parts[2])).as(ref).containsKey(parts[3]);
        });
        Set<String> operationIds = new TreeSet<>();
        forEachOperation((route, operation) -> {
            assertThat(operationIds.add((String) operation.get("operationId"))).as("unique operationId of " + route).isTrue();
            assertThat(map(operation, "responses")).as(route).isNotEmpty();
            assertThat(operation.get("tags")).as(route).isNotNull();
        });
    }

    @Test
    void everyOperationNamesTheCredentialItTakes() {
        Map<String, Object> schemes = map(map(document, "components"), "securitySchemes");
        assertThat(map(schemes, "apiKey")).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(map(schemes, "adminToken")).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(map(schemes, "apiKeyHeader")).containsEntry("type", "apiKey").containsEntry("in", "header")
                .containsEntry("name", "x-api-key");
        assertThat(document.get("security")).as("no global requirement: each operation says").isNull();
        forEachOperation((route, operation) -> {
            String path = route.substring(route.indexOf(' ') + 1);
            // Anthropic's routes list the key in either header (alternatives), as Anthropic's SDKs send x-api-key
            Object expected = path.startsWith("/v1/messages")
                    ? List.of(Map.of("apiKey", List.of()), Map.of("apiKeyHeader", List.of()))
                    : path.startsWith("/v1/") ? List.of(Map.of("apiKey", List.of()))
                    : path.startsWith("/admin/") ? List.of(Map.of("adminToken", List.of())) : null;
            assertThat(operation.get("security")).as(route).isEqualTo(expected);
            if (expected != null) {
                assertThat(map(map(operation, "responses"), "401")).as(route).isNotEmpty();
            }
        });
        assertThat(map(map(document, "paths"), "/health")).isNotEmpty();
    }

    /** The controllers read raw bytes (so bodies pass through untouched): each must describe its JSON instead. */
    @Test
    void noBodyIsDescribedAsRawBytes() {
        assertThat(response.body().contains("format: byte") || response.body().contains("'*/*'"))
                .as("a byte[] body or response shown as bytes of any type").isFalse();
        forEachOperation((route, operation) -> {
            if (route.startsWith("POST") || route.startsWith("PATCH")) {
                Map<String, Object> body = map(operation, "requestBody");
                assertThat(body.get("required")).as(route).isEqualTo(true);
                assertThat(map(body, "content").keySet()).as(route).containsExactly("application/json");
            }
        });
    }

    @Test
    void chatCompletionsIsDescribedInFull() {
        Map<String, Object> chat = operation("/v1/chat/completions", "post");
        assertThat(chat.get("operationId")).isEqualTo("createChatCompletion");
        assertThat(map(map(map(map(chat, "requestBody"), "content"), "application/json"), "schema"))
                .containsEntry("$ref", "#/components/schemas/ChatCompletionRequest");
        Map<String, Object> responses = map(chat, "responses");
        assertThat(responses).containsKeys("200", "400", "401", "403", "404", "429", "502", "503", "504");
        Map<String, Object> ok = map(responses, "200");
        assertThat(map(map(map(ok, "content"), "application/json"), "schema"))
                .containsEntry("$ref", "#/components/schemas/ChatCompletion");
        assertThat(map(map(map(ok, "content"), "text/event-stream"), "schema"))
                .containsEntry("$ref", "#/components/schemas/ChatCompletionChunk");
        assertThat(map(ok, "headers")).containsKeys("x-request-id", "x-tollgate-balance-usd", "x-tollgate-cost-usd");
        assertThat(map(map(map(responses, "403"), "content"), "application/json")).isNotEmpty();

        Map<String, Object> request = schema("ChatCompletionRequest");
        assertThat(request.get("required")).isEqualTo(List.of("messages", "model"));
        assertThat(map(request, "properties")).containsKeys("model", "messages", "stream", "stream_options",
                "max_tokens", "max_completion_tokens");
        assertThat(request.get("additionalProperties")).as("unknown fields pass through").isEqualTo(true);
        assertThat(map(schema("ChatCompletion"), "properties")).containsKeys("usage", "tollgate", "choices");
        assertThat(map(schema("TollgateBilling"), "properties")).containsKeys("request_id", "cost_usd", "balance_usd");
        assertThat(map(schema("ErrorDetail"), "properties")).containsOnlyKeys("message", "type", "code", "param");
    }

    /** Every billed endpoint takes the spending controls: a dry run (quote) and the ceiling and afford headers. */
    @Test
    void everyBilledOperationDocumentsTheSpendingControls() {
        for (String path : List.of("/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/messages",
                "/v1/embeddings")) {
            String parameters = String.valueOf(operation(path, "post").get("parameters"));
            assertThat(parameters).as(path).contains("name=dry_run, in=query", "type=boolean",
                    "name=x-tollgate-max-cost-usd, in=header", "name=x-tollgate-afford, in=header");
        }
        assertThat(String.valueOf(operation("/v1/messages/count_tokens", "post").get("parameters")))
                .doesNotContain("dry_run");
        assertThat(map(schema("ChatCompletionRequest"), "properties")).containsKeys("max_cost_usd", "tollgate");
    }

    /** Every error on Anthropic's routes is in Anthropic's envelope (AnthropicErrorFilter), and so documented. */
    @Test
    void anthropicMessagesAreDescribedWithAnthropicsEnvelope() {
        Map<String, Object> create = operation("/v1/messages", "post");
        assertThat(create.get("operationId")).isEqualTo("createMessage");
        assertThat(bodySchema(create)).containsEntry("$ref", "#/components/schemas/MessagesRequest");
        Map<String, Object> responses = map(create, "responses");
        assertThat(responses).containsKeys("200", "400", "401", "403", "404", "429", "502", "503", "504");
        assertThat(map(map(map(map(responses, "200"), "content"), "text/event-stream"), "schema"))
                .containsEntry("$ref", "#/components/schemas/MessagesStreamEvent");
        Map<String, Object> count = operation("/v1/messages/count_tokens", "post");
        assertThat(count.get("operationId")).isEqualTo("countMessageTokens");
        assertThat(bodySchema(count)).containsEntry("$ref", "#/components/schemas/MessagesCountTokensRequest");
        assertThat(map(count, "responses")).doesNotContainKeys("502", "503", "504");
        for (Map<String, Object> operation : List.of(create, count)) {
            map(operation, "responses").forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(jsonSchema(response)).as(status).containsEntry("$ref", ref("AnthropicError"));
                }
            });
        }
        assertThat(schema("MessagesRequest").get("required")).isEqualTo(List.of("max_tokens", "messages", "model"));
        assertThat(map(schema("MessagesMessageResponse"), "properties")).containsKeys("content", "stop_reason",
                "usage", "tollgate");
        assertThat(map(schema("AnthropicErrorDetail"), "properties")).containsKeys("type", "message");
    }

    @Test
    void responsesAndLegacyCompletionsAsTheyAnswer() {
        Map<String, Object> create = operation("/v1/responses", "post");
        assertThat(create.get("operationId")).isEqualTo("createResponse");
        assertThat(bodySchema(create)).containsEntry("$ref", "#/components/schemas/ResponsesRequest");
        assertThat(create.get("security")).isEqualTo(List.of(Map.of("apiKey", List.of())));
        assertThat(jsonSchema(map(create, "responses").get("200"))).containsEntry("$ref", ref("Response"));
        assertThat(schema("ResponsesRequest").get("required")).isEqualTo(List.of("input", "model"));
        for (String method : List.of("get", "delete")) {
            Map<String, Object> stored = operation("/v1/responses/{id}", method);
            assertThat(stored.get("operationId")).isEqualTo(method + "Response");
            assertThat(stored.get("parameters").toString()).contains("name=id", "in=path");
            assertThat(map(stored, "responses")).containsKeys("200", "401", "404", "429").doesNotContainKey("502");
            assertThat(jsonSchema(map(stored, "responses").get("404"))).containsEntry("$ref", ref("Error"));
        }

        Map<String, Object> legacy = operation("/v1/completions", "post");
        assertThat(legacy.get("operationId")).isEqualTo("createCompletion");
        assertThat(bodySchema(legacy)).containsEntry("$ref", "#/components/schemas/CompletionRequest");
        assertThat(legacy.get("security")).isEqualTo(List.of(Map.of("apiKey", List.of())));
        assertThat(jsonSchema(map(legacy, "responses").get("200"))).containsEntry("$ref", ref("Completion"));
        assertThat(schema("CompletionRequest").get("required")).isEqualTo(List.of("model", "prompt"));
    }

    @Test
    void keysModelsAndTheStripeWebhookAsTheyAnswer() {
        Map<String, Object> create = operation("/v1/keys", "post");
        assertThat(map(create, "responses")).containsKeys("201", "400", "401", "403").doesNotContainKey("200");
        assertThat(schema("CreatedApiKey").get("allOf").toString()).contains("$ref=#/components/schemas/ApiKey", "key=");

        Map<String, Object> model = operation("/v1/models/{id}", "get");
        assertThat(model.get("parameters").toString()).contains("name=id", "in=path");

        Map<String, Object> webhook = operation("/webhooks/stripe", "post");
        assertThat(webhook.get("security")).isNull();
        assertThat(webhook.get("parameters").toString()).contains("name=Stripe-Signature", "in=header", "required=true");
        assertThat(map(webhook, "responses")).containsKeys("200", "400", "503");
        assertThat(map(schema("Ready"), "properties")).containsKeys("status", "dynamodb", "upstreams");
    }

    /** Every route the application's controllers serve, as "METHOD /path/{name}", but the ones that are not API. */
    private static Set<String> routesOfTheRouter() {
        return server.context().getBean(Router.class).uriRoutes()
                // Micronaut answers HEAD for every GET, and preflights with OPTIONS: neither is an operation of the API
                .filter(route -> route.getHttpMethod() != HttpMethod.HEAD && route.getHttpMethod() != HttpMethod.OPTIONS)
                .map(route -> route.getHttpMethod().name() + " " + documentedPath(route.getUriMatchTemplate().toString()))
                .filter(route -> !isNotApi(route.substring(route.indexOf(' ') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> routesInTheDocument() {
        Set<String> routes = new TreeSet<>();
        forEachOperation((route, operation) -> routes.add(route));
        routes.removeIf(route -> isNotApi(route.substring(route.indexOf(' ') + 1)));
        return routes;
    }

    /**
     * Not API, so neither required in the document nor compared: the web console's HTML pages ({@code /console/**},
     * and {@code /} which redirects to it), built on another branch, the document itself, and the Prometheus scrape
     * {@code /metrics} (for the operator's monitoring, behind the admin token).
     */
    private static boolean isNotApi(String path) {
        return path.equals("/") || path.startsWith("/console") || path.equals("/openapi.yaml") || path.equals("/metrics");
    }

    /** A route template as OpenAPI writes its path: no query part, {@code {+id}} and {@code {id:regex}} as {@code {id}}. */
    private static String documentedPath(String template) {
        int query = template.indexOf("{?");
        String path = query >= 0 ? template.substring(0, query) : template;
        return path.replaceAll("\\{\\+([^}]+)}", "{$1}").replaceAll("\\{([^}:]+):[^}]+}", "{$1}");
    }

    private static void forEachOperation(BiConsumer<String, Map<String, Object>> action) {
        paths().keySet().forEach(path -> map(paths(), path).keySet().stream().filter(METHODS::contains)
                .forEach(method -> action.accept(method.toUpperCase(Locale.ROOT) + " " + path, operation(path, method))));
    }

    private static Map<String, Object> paths() {
        return map(document, "paths");
    }

    private static Map<String, Object> operation(String path, String method) {
        return map(map(paths(), path), method);
    }

    private static Map<String, Object> schema(String name) {
        return map(map(map(document, "components"), "schemas"), name);
    }

    private static String ref(String schema) {
        return "#/components/schemas/" + schema;
    }

    private static Map<String, Object> bodySchema(Map<String, Object> operation) {
        return map(map(map(map(operation, "requestBody"), "content"), "application/json"), "schema");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonSchema(Object response) {
        return map(map(map((Map<String, Object>) response, "content"), "application/json"), "schema");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> object) {
            ((Map<String, Object>) object).forEach((key, value) -> {
                if (key.equals("$ref")) {
                    refs.add((String) value);
                } else {
                    collectRefs(value, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectRefs(item, refs));
        }
    }

    @Test
    void theRequestLogIsDescribed() {
        Map<String, Object> list = operation("/v1/requests", "get");
        assertThat(list.get("operationId")).isEqualTo("listRequests");
        assertThat(list.get("parameters").toString()).contains("name=key_id", "name=status", "name=after", "name=limit")
                .doesNotContain("name=caller");
        assertThat(map(map(map(map(map(list, "responses"), "200"), "content"), "application/json"), "schema"))
                .containsEntry("$ref", "#/components/schemas/LoggedRequestList");
        assertThat(map(operation("/v1/requests/{id}", "get"), "responses")).containsKeys("200", "401", "404");
        assertThat(map(schema("LoggedRequest"), "properties")).containsKeys("id", "status", "usage", "cost_usd",
                "cost_micros", "charged_usd", "hold_usd", "shortfall_micros", "reconciled", "reversed", "latency_ms");
        assertThat(map(schema("LoggedRequestList"), "properties")).containsOnlyKeys("object", "data", "has_more",
                "next_cursor");
    }

    @Test
    void theStatementIsDescribedAsJsonAndCsv() {
        Map<String, Object> statement = operation("/v1/statement", "get");
        assertThat(statement.get("parameters").toString()).contains("name=start", "name=end", "name=format")
                .doesNotContain("name=Accept");
        Map<String, Object> responses = map(statement, "responses");
        assertThat(responses).containsKeys("200", "400", "401", "403");
        Map<String, Object> content = map(map(responses, "200"), "content");
        assertThat(content).containsOnlyKeys("application/json", "text/csv");
        assertThat(map(map(content, "application/json"), "schema")).containsEntry("$ref", "#/components/schemas/Statement");
        assertThat(map(map(content, "text/csv"), "schema")).containsEntry("type", "string");
        assertThat(map(schema("Statement"), "properties")).containsKeys("opening_balance_usd", "closing_balance_micros",
                "now", "totals", "data", "end_is_now");
        assertThat(map(schema("StatementLine"), "properties")).containsKeys("kind", "amount_usd", "balance_usd",
                "debt_change_usd", "stripe", "reference");
        assertThat(schema("StatementStripe")).containsEntry("nullable", true);
    }

    @Test
    void theCallingKeyShowsItsSpendWindows() {
        Map<String, Object> key = operation("/v1/key", "get");
        assertThat(map(map(map(map(map(key, "responses"), "200"), "content"), "application/json"), "schema"))
                .containsEntry("$ref", "#/components/schemas/KeyWithWindows");
        assertThat(schema("KeyWithWindows").get("allOf").toString()).contains("$ref=#/components/schemas/ApiKey",
                "plan=", "windows=", "credits=");
        assertThat(map(schema("WindowUse"), "properties")).containsKeys("window", "scope", "limit_credits",
                "used_credits", "remaining_credits", "reset");
        assertThat(map(schema("ApiKey"), "properties")).containsKeys("tpm_limit", "limits");
        assertThat(map(schema("UsageReport"), "properties")).containsKeys("plan", "windows", "credits");
    }

    @Test
    void anAccountsPlanIsReadAndAssigned() {
        Map<String, Object> assign = operation("/admin/accounts/{accountId}/plan", "put");
        assertThat(assign.get("operationId")).isEqualTo("assignPlan");
        Map<String, Object> body = map(assign, "requestBody");
        assertThat(body.get("required")).isEqualTo(true);
        assertThat(map(map(map(body, "content"), "application/json"), "schema"))
                .containsEntry("$ref", "#/components/schemas/PlanAssignment");
        assertThat(map(assign, "responses")).containsKeys("200", "400", "401", "403", "404");
        assertThat(map(operation("/admin/accounts/{accountId}/plan", "get"), "responses")).containsKeys("200", "401");
        assertThat(map(schema("AccountPlan"), "properties")).containsOnlyKeys("account_id", "plan", "windows");
    }
}
