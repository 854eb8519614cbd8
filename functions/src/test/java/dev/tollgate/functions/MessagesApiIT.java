package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/messages and /v1/messages/count_tokens through Anthropic's official Java SDK and plain HTTP. */
class MessagesApiIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static TestServer server;
    static TestServer.Account account;
    static AnthropicClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("5.00");
        client = AnthropicOkHttpClient.builder().baseUrl(server.baseUrl().toString()).apiKey(account.key())
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void resetUpstream() {
        server.upstream().reset();
    }

    @Test
    void bufferedMessageThroughTheSdkIsBilledLikeChat() {
        server.upstream().enqueue(Behavior.of("Blue", ".").reasoning("Colours.").usage(20, 5));
        Money before = server.balance(account.accountId());
        Message message = client.messages().create(MessageCreateParams.builder().model("qwen3:latest").maxTokens(64)
                .system("Be terse.").addUserMessage("Name a colour.").build());
        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("Colours.");
        assertThat(message.content().get(1).text().orElseThrow().text()).isEqualTo("Blue.");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(20);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
        Money charged = before.minus(server.balance(account.accountId()));
        assertThat(message.usage()._additionalProperties().get("cost").asString().orElseThrow())
                .isEqualTo(charged.toDollars());
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
        JsonNode upstream = lastUpstreamRequest();
        assertThat(upstream.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(upstream.at("/max_tokens").asInt()).isEqualTo(64);
    }

    /** A buffered message is written as its text's UTF-8 (ADR 0021): an emoji as its four bytes, not escaped. */
    @Test
    void emojiInABufferedMessageArriveAsUtf8() throws Exception {
        server.upstream().enqueue(Behavior.of("Hi ", "\uD83D\uDE00"));
        HttpResponse<String> response = dev.tollgate.functions.support.Http.post(server.apiBase().resolve("/v1/messages"),
                account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/content/0/text").asText()).isEqualTo("Hi \uD83D\uDE00");
        assertThat(response.body()).contains("Hi \uD83D\uDE00").doesNotContainIgnoringCase("\\ud83d");
    }

    @Test
    void streamedMessageThroughTheSdkAccumulates() {
        server.upstream().enqueue(Behavior.of("Hello", " there").usage(12, 2));
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
                MessageCreateParams.builder().model("qwen3:latest").maxTokens(64).addUserMessage("Hi").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();
        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello there");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(2);
        assertThat(lastUpstreamRequest().at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @Test
    void toolUseRoundTripsThroughTheSdk() {
        server.upstream().enqueue(Behavior.of("").toolCall("get_weather", "{\"city\":\"Paris\"}"));
        Tool tool = Tool.builder().name("get_weather").description("Weather for a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
                .build();
        Message message = client.messages().create(MessageCreateParams.builder().model("qwen3:latest").maxTokens(64)
                .addTool(tool).addUserMessage("Weather in Paris?").build());
        ContentBlock block = message.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow();
        assertThat(block.asToolUse().name()).isEqualTo("get_weather");
        assertThat(block.asToolUse()._input().toString()).contains("Paris");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        JsonNode upstream = lastUpstreamRequest();
        assertThat(upstream.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(upstream.at("/tools/0/function/parameters/properties/city/type").asText()).isEqualTo("string");

        server.upstream().enqueue(Behavior.of("").toolCall("get_weather", "{\"city\":\"Oslo\"}"));
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
                MessageCreateParams.builder().model("qwen3:latest").maxTokens(64).addTool(tool)
                        .addUserMessage("Weather in Oslo?").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();
        ContentBlock call = streamed.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow();
        assertThat(call.asToolUse()._input().toString()).contains("Oslo");
        assertThat(streamed.stopReason()).contains(StopReason.TOOL_USE);
    }

    @Test
    void countTokensIsTheHoldsPromptEstimateAndChargesNothing() throws Exception {
        Money before = server.balance(account.accountId());
        long counted = client.messages().countTokens(MessageCountTokensParams.builder().model("qwen3:latest")
                .system("Be terse.").addUserMessage("How many tokens is this?").build()).inputTokens();
        int expected = new TokenCounter().countPrompt("o200k_base", JSON.readTree("[{\"role\":\"system\",\"content\":"
                + "\"Be terse.\"},{\"role\":\"user\",\"content\":\"How many tokens is this?\"}]"), null);
        assertThat(counted).isEqualTo(expected);
        assertThat(server.balance(account.accountId())).isEqualTo(before);
        assertThat(server.upstream().requests()).isEmpty();
    }

    @Test
    void errorsComeInAnthropicsEnvelopeWithTheMatchingSdkException() {
        AnthropicClient wrongKey = AnthropicOkHttpClient.builder().baseUrl(server.baseUrl().toString())
                .apiKey("sk-wrong").maxRetries(0).build();
        assertThatThrownBy(() -> wrongKey.messages().create(MessageCreateParams.builder().model("qwen3:latest")
                .maxTokens(5).addUserMessage("hi").build())).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder().model("no-such-model")
                .maxTokens(5).addUserMessage("hi").build())).isInstanceOf(NotFoundException.class);
        TestServer.Account poor = server.openAccount("0.000001");
        AnthropicClient poorClient = AnthropicOkHttpClient.builder().baseUrl(server.baseUrl().toString())
                .apiKey(poor.key()).maxRetries(0).build();
        assertThatThrownBy(() -> poorClient.messages().create(MessageCreateParams.builder().model("qwen3:latest")
                .maxTokens(500).addUserMessage("hi").build()))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("Insufficient balance");
    }

    @Test
    void plainHttpErrorsAreAnthropicErrorsWithTheirStatus() throws Exception {
        assertError(post("/v1/messages", null, "{}"), 401, "authentication_error");
        assertError(post("/v1/messages", account.key(), "{not json"), 400, "invalid_request_error");
        assertError(post("/v1/messages", account.key(), "{\"model\":\"qwen3:latest\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error");
        assertError(post("/v1/messages", account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":"
                + "[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":"
                + "\"https://example.com/a.png\"}}]}]}"), 400, "invalid_request_error");
        assertError(post("/v1/messages/nope", account.key(), "{}"), 404, "not_found_error");
        for (int attempt = 0; attempt < 5; attempt++) { // retried before the first byte, then refused
            server.upstream().enqueue(Behavior.error(503, null));
        }
        assertError(post("/v1/messages", account.key(), "{\"model\":\"qwen3:latest\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 503, "overloaded_error");
    }

    @Test
    void xApiKeyAndAnthropicVersionAreAccepted() throws Exception {
        server.upstream().enqueue(Behavior.of("ok"));
        HttpResponse<String> response = post("/v1/messages", account.key(), "{\"model\":\"qwen3:latest\","
                + "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-tollgate-balance-usd")).isPresent();
        assertThat(response.headers().firstValue("x-tollgate-cost-usd")).isPresent();
        assertThat(JSON.readTree(response.body()).at("/content/0/text").asText()).isEqualTo("ok");
    }

    @Test
    void malformedBodiesAreFourHundredsNeverFiveHundreds() throws Exception {
        String[] bodies = {"[]", "null", "\"x\"", "{\"model\":1}", "{\"model\":\"qwen3:latest\",\"max_tokens\":-1,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":{}}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":[1]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":7}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{}]}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"system\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"thinking\":{\"type\":\"enabled\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"tools\":[{}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"x\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"stop_sequences\":[1],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"b\",\"input\":3}]}]}",
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\"}}]}]}"};
        Money before = server.balance(account.accountId());
        for (String body : bodies) {
            for (String path : new String[] {"/v1/messages", "/v1/messages/count_tokens"}) {
                HttpResponse<String> response = post(path, account.key(), body);
                assertThat(response.statusCode()).as(path + " " + body + " → " + response.body()).isBetween(400, 499);
                assertThat(JSON.readTree(response.body()).path("type").asText()).as(body).isEqualTo("error");
            }
        }
        assertThat(server.balance(account.accountId())).isEqualTo(before);
    }

    private static void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).as(response.body()).isEqualTo(type);
        assertThat(body.at("/error/message").asText()).isNotBlank();
    }

    /** As Anthropic's clients send it: {@code x-api-key} and {@code anthropic-version}, no Authorization. */
    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUrl().resolve(path))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode lastUpstreamRequest() {
        RecordedRequest last = server.upstream().requests().getLast();
        return last.json();
    }
}
