package dev.tollgate.upstream.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.inbound.Golden;
import dev.tollgate.upstream.SseEvents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the Anthropic upstream translation under {@code golden/outbound/anthropic}: {@code client.json →
 * upstream-request.json}, {@code upstream-response.json → expected.json}, {@code upstream.sse → expected.sse} (what
 * the relay reads: one {@code data:} line per chunk, {@code [DONE]}, or how the stream failed).
 */
class AnthropicGoldenTest {

    static final long CREATED = 1_765_000_000L;

    static List<Path> requests() {
        return cases("request");
    }

    static List<Path> responses() {
        return cases("response");
    }

    static List<Path> streams() {
        return cases("stream");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void internalRequestBecomesAMessagesRequest(Path dir) {
        ObjectNode client = (ObjectNode) Golden.json(dir.resolve("client.json"));
        Golden.assertJson(ToAnthropicRequest.map(client), dir.resolve("upstream-request.json"));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void messageBecomesAChatCompletion(Path dir) {
        Golden.assertJson(FromAnthropicResponse.map(Golden.json(dir.resolve("upstream-response.json")), CREATED),
                dir.resolve("expected.json"));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void eventsBecomeChatChunks(Path dir) {
        Golden.assertText(replay(Golden.bytes(dir.resolve("upstream.sse"))), dir.resolve("expected.sse"));
    }

    @Test
    void anEmptyBoundOrNoEffortMeansNoThinking() {
        ObjectNode small = (ObjectNode) Golden.json(cases("request").get(0).resolve("client.json"));
        small.put("reasoning_effort", "high").put("max_tokens", 2000);
        assertThat(ToAnthropicRequest.map(small).has("thinking")).as("2000/2 is below the 1024 minimum").isFalse();
        small.put("max_tokens", 2048);
        assertThat(ToAnthropicRequest.map(small).path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
        small.put("reasoning_effort", "none");
        assertThat(ToAnthropicRequest.map(small).has("thinking")).isFalse();
    }

    static String replay(byte[] sse) {
        StringBuilder out = new StringBuilder();
        try (AnthropicSseStream stream = new AnthropicSseStream(new ByteArrayInputStream(sse),
                new AnthropicStreamDecoder(CREATED))) {
            while (true) {
                String next = stream.next();
                if (next == null) {
                    return out.append("<closed without [DONE]>\n").toString();
                }
                out.append("data: ").append(next == SseEvents.DONE ? "[DONE]" : next).append("\n\n");
                if (next == SseEvents.DONE) {
                    return out.toString();
                }
            }
        } catch (IOException e) {
            return out.append("<failed: ").append(e.getMessage()).append(">\n").toString();
        }
    }

    static List<Path> cases(String area) {
        try {
            Path root = Path.of(AnthropicGoldenTest.class.getResource("/golden/outbound/anthropic/" + area).toURI());
            try (Stream<Path> dirs = Files.list(root)) {
                return dirs.filter(Files::isDirectory).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
