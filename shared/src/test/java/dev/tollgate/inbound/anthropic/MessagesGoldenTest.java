package dev.tollgate.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.error.ApiException;
import dev.tollgate.inbound.Golden;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden files of the Messages translation, both directions and the stream (see golden/inbound/anthropic/README.md). */
class MessagesGoldenTest {

    static List<Path> requests() {
        return Golden.cases("anthropic/request");
    }

    static List<Path> responses() {
        return Golden.cases("anthropic/response");
    }

    static List<Path> streams() {
        return Golden.cases("anthropic/stream");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void clientRequestBecomesTheInternalChatRequest(Path dir) {
        Golden.assertJson(FromMessagesRequest.map(Golden.bytes(dir.resolve("client.json")), Golden.JSON, false),
                dir.resolve("internal.json"));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void settledCompletionBecomesAMessage(Path dir) {
        Golden.assertJson(ToMessagesResponse.map(Golden.json(dir.resolve("completion.json")), "req_golden"),
                dir.resolve("expected.json"));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void relayFramesBecomeAnthropicEvents(Path dir) {
        Golden.assertText(Golden.encode(dir.resolve("relay.sse"),
                sink -> new MessagesStreamEncoder(sink, "req_golden", "qwen3:latest")), dir.resolve("expected.sse"));
    }

    @Test
    void maxTokensIsRequiredExceptForCounting() {
        byte[] body = "{\"model\":\"qwen3:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes();
        assertThatThrownBy(() -> FromMessagesRequest.map(body, Golden.JSON, false))
                .isInstanceOf(ApiException.class).hasMessageContaining("max_tokens");
        FromMessagesRequest.map(body, Golden.JSON, true);
    }

    @Test
    void serverToolsAndUnknownBlocksAreRefusedByName() {
        String tool = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}";
        assertThatThrownBy(() -> FromMessagesRequest.map(tool.getBytes(), Golden.JSON, false))
                .isInstanceOf(ApiException.class).extracting("param").isEqualTo("tools[0].type");
        String block = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"search_result\"}]}]}";
        assertThatThrownBy(() -> FromMessagesRequest.map(block.getBytes(), Golden.JSON, false))
                .isInstanceOf(ApiException.class).extracting("param").isEqualTo("messages[0].content[0].type");
    }
}
