package dev.tollgate.inbound;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.inbound.completions.CompletionStreamEncoder;
import dev.tollgate.inbound.completions.FromCompletionRequest;
import dev.tollgate.inbound.completions.ToCompletion;
import dev.tollgate.inbound.responses.FromResponsesRequest;
import dev.tollgate.inbound.responses.ResponsesRequest;
import dev.tollgate.inbound.responses.ResponsesStreamEncoder;
import dev.tollgate.inbound.responses.ToResponsesResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the Responses and legacy completions translations, both directions and the streams (see
 * golden/inbound/README.md). The relay recordings are the Anthropic cases' ones: the same chat stream, re-encoded.
 */
class ResponsesAndCompletionsGoldenTest {

    static final long CREATED = 1_767_225_600L;
    static final ObjectNode ECHO = FromResponsesRequest.map("{\"model\":\"qwen3:latest\",\"input\":\"hi\"}".getBytes(),
            Golden.JSON).echo();

    static List<Path> responsesRequests() {
        return Golden.cases("responses/request");
    }

    static List<Path> responsesResponses() {
        return Golden.cases("responses/response");
    }

    static List<Path> responsesStreams() {
        return Golden.cases("responses/stream");
    }

    static List<Path> completionRequests() {
        return Golden.cases("completions/request");
    }

    static List<Path> completionResponses() {
        return Golden.cases("completions/response");
    }

    static List<Path> completionStreams() {
        return Golden.cases("completions/stream");
    }

    @ParameterizedTest
    @MethodSource("responsesRequests")
    void responsesRequestBecomesTheInternalChatRequest(Path dir) {
        ResponsesRequest request = FromResponsesRequest.map(Golden.bytes(dir.resolve("client.json")), Golden.JSON);
        Golden.assertJson(request.internalWith(null), dir.resolve("internal.json"));
        Golden.assertJson(request.echo(), dir.resolve("echo.json"));
    }

    @ParameterizedTest
    @MethodSource("responsesResponses")
    void settledCompletionBecomesAResponse(Path dir) {
        Golden.assertJson(ToResponsesResponse.map(Golden.json(dir.resolve("completion.json")), "req_golden", CREATED, ECHO),
                dir.resolve("expected.json"));
    }

    @ParameterizedTest
    @MethodSource("responsesStreams")
    void relayFramesBecomeResponsesEvents(Path dir) {
        Golden.assertText(Golden.encode(dir.resolve("relay.sse"), sink -> new ResponsesStreamEncoder(sink, "req_golden",
                CREATED, "qwen3:latest", ECHO, response -> response.put("stored", true))), dir.resolve("expected.sse"));
    }

    @ParameterizedTest
    @MethodSource("completionRequests")
    void completionRequestBecomesTheInternalChatRequest(Path dir) {
        Golden.assertJson(FromCompletionRequest.map(Golden.bytes(dir.resolve("client.json")), Golden.JSON),
                dir.resolve("internal.json"));
    }

    @ParameterizedTest
    @MethodSource("completionResponses")
    void settledCompletionBecomesATextCompletion(Path dir) {
        Golden.assertJson(ToCompletion.response(Golden.json(dir.resolve("completion.json")), "req_golden"),
                dir.resolve("expected.json"));
    }

    @ParameterizedTest
    @MethodSource("completionStreams")
    void relayFramesBecomeTextCompletionChunks(Path dir) {
        Golden.assertText(Golden.encode(dir.resolve("relay.sse"), sink -> new CompletionStreamEncoder(sink, "req_golden")),
                dir.resolve("expected.sse"));
    }
}
