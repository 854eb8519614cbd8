package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.openai.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Tollgate changes in a chat request on its way upstream: only {@code model}, the output bound and
 * {@code stream_options.include_usage} (DESIGN.md "Providers"). Golden files: src/test/resources/golden/chat.
 */
class ChatWireTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelEntry CODER = CatalogLoader.loadDefault().find("qwen/qwen3-coder:free").orElseThrow();
    private static final int CLAMPED = 8192;

    @ParameterizedTest(name = "golden/chat/{0}")
    @ValueSource(strings = {"buffered", "stream", "length-knobs"})
    void clientRequestBecomesTheExpectedUpstreamRequest(String dir) throws IOException {
        ChatRequest request = ChatRequest.parse(resource("/golden/chat/" + dir + "/client-request.json"), JSON);
        JsonNode expected = JSON.readTree(resource("/golden/chat/" + dir + "/upstream-request.json"));

        // The limits come from the admission, as in the service: the caller's bound clamped, knobs dropped.
        ObjectNode upstream = ChatWire.toUpstream(request, CODER, new ChatAdmission(new TokenCounter()).admit(request, CODER));

        assertThat(upstream).isEqualTo(expected);
    }

    @Test
    void theCallersRequestIsNotModified() throws IOException {
        byte[] bytes = resource("/golden/chat/stream/client-request.json");
        ChatRequest request = ChatRequest.parse(bytes, JSON);

        ChatWire.toUpstream(request, CODER, bound(CLAMPED));

        assertThat(request.copyBody()).isEqualTo(JSON.readTree(bytes));
        assertThat(request.model()).isEqualTo("qwen/qwen3-coder:free");
    }

    @Test
    void streamWithoutStreamOptionsGetsIncludeUsage() {
        ObjectNode upstream = toUpstream("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
        assertThat(upstream.get("stream_options")).isEqualTo(JSON.createObjectNode().put("include_usage", true));
    }

    @Test
    void streamWithNullStreamOptionsGetsIncludeUsage() {
        ObjectNode upstream = toUpstream("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"stream\":true,\"stream_options\":null}");
        assertThat(upstream.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void bufferedRequestGetsNoStreamOptions() {
        ObjectNode upstream = toUpstream("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(upstream.has("stream_options")).isFalse();
        assertThat(upstream.has("stream")).isFalse();
    }

    @Test
    void requestWithoutAnOutputBoundIsGivenTheClampedOneInBothFields() {
        ObjectNode upstream = toUpstream("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(upstream.get("max_tokens").asInt()).isEqualTo(CLAMPED);
        assertThat(upstream.get("max_completion_tokens").asInt()).isEqualTo(CLAMPED);
        assertThat(upstream.get("model").asText()).isEqualTo("qwen3-coder:latest");
    }

    @Test
    void noOutputBoundSentUpstreamExceedsTheClampedOne() {
        // The hold is sized on the clamped bound. Ollama and llama.cpp read max_tokens, vLLM and OpenAI prefer
        // max_completion_tokens: whichever field the upstream reads, it must not let the model generate past
        // what was held. Here the caller asks for 100 in one field and 100000 in the other.
        ChatRequest request = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"max_completion_tokens\":100,\"max_tokens\":100000}");
        assertThat(request.requestedMaxTokens()).isEqualTo(100);

        ObjectNode upstream = ChatWire.toUpstream(request, CODER, bound(100));

        assertThat(upstream.get("max_completion_tokens").asInt()).isEqualTo(100);
        assertThat(upstream.get("max_tokens").asInt()).as("max_tokens forwarded upstream").isEqualTo(100);
    }

    @Test
    void completionTextGathersContentReasoningAndToolArguments() throws IOException {
        JsonNode response = JSON.readTree("""
                {"choices": [
                  {"message": {"role": "assistant", "content": "Hello", "reasoning_content": " think"}},
                  {"message": {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\\"x\\":1}"}}]}}]}
                """);
        assertThat(ChatWire.completionText(response)).isEqualTo("Hello thinkf{\"x\":1}");
    }

    @Test
    void putUsageWritesUsageCostAndBalance() {
        ObjectNode target = JSON.createObjectNode();
        Settlement settlement = new Settlement(Money.ofMicros(1_234), Money.ZERO, Money.ofMicros(4_998_766), false);

        ChatWire.putUsage(target, new TokenUsage(10, 5, 2, 4, true), settlement, "req_1");

        assertThat(target.at("/usage/prompt_tokens").asLong()).isEqualTo(10);
        assertThat(target.at("/usage/completion_tokens").asLong()).isEqualTo(5);
        assertThat(target.at("/usage/total_tokens").asLong()).isEqualTo(15);
        assertThat(target.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(4);
        assertThat(target.at("/usage/completion_tokens_details/reasoning_tokens").asLong()).isEqualTo(2);
        assertThat(target.at("/usage/cost").asText()).isEqualTo("0.001234");
        assertThat(target.at("/tollgate/cost_usd").asText()).isEqualTo("0.001234");
        assertThat(target.at("/tollgate/balance_usd").asText()).isEqualTo("4.998766");
        assertThat(target.at("/tollgate/request_id").asText()).isEqualTo("req_1");
        assertThat(target.at("/tollgate/usage_counted_by").asText()).isEqualTo("tollgate");
    }

    @Test
    void usageChunkHasNoChoicesAndThePublicModel() {
        ObjectNode template = JSON.createObjectNode().put("id", "c1").put("object", "chat.completion.chunk")
                .put("model", "qwen3-coder:latest");
        template.putObject("usage").put("prompt_tokens", 1);

        ObjectNode chunk = ChatWire.usageChunk(template, "qwen/qwen3-coder:free");

        assertThat(chunk.get("model").asText()).isEqualTo("qwen/qwen3-coder:free");
        assertThat(chunk.get("choices").isArray()).isTrue();
        assertThat(chunk.get("choices")).isEmpty();
        assertThat(chunk.has("usage")).isFalse();
        assertThat(chunk.get("id").asText()).isEqualTo("c1");
        assertThat(template.get("model").asText()).as("template untouched").isEqualTo("qwen3-coder:latest");
    }

    @Test
    void errorFrameIsOneSseEventWithTheOpenAiEnvelope() throws IOException {
        String frame = ChatWire.errorFrame(ErrorCode.UPSTREAM_FAILED, "upstream broke");
        assertThat(frame).startsWith("data: ").endsWith("\n\n");
        JsonNode error = JSON.readTree(frame.substring(6).strip()).get("error");
        assertThat(error.get("message").asText()).isEqualTo("upstream broke");
        assertThat(error.get("code").asText()).isEqualTo("gateway_error");
        assertThat(error.get("type").asText()).isEqualTo("api_error");
    }

    /** Limits with this output bound, one choice, nothing dropped. */
    private static ChatLimits bound(int maxOutput) {
        return new ChatLimits(10, maxOutput, 1, Set.of());
    }

    private static ObjectNode toUpstream(String body) {
        return ChatWire.toUpstream(parse(body), CODER, bound(CLAMPED));
    }

    private static ChatRequest parse(String body) {
        return ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ChatWireTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
