package dev.tollgate.upstream.bedrock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.inbound.Golden;
import dev.tollgate.testkit.EventStreamFrames;
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
 * Golden files of the Bedrock Converse translation under {@code golden/outbound/bedrock}. Stream cases script the
 * events in {@code upstream-events.json}; the test encodes them into real AWS event-stream frames and reads them
 * back through {@link BedrockEventStream}, so the codec is exercised too.
 */
class BedrockGoldenTest {

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
    void internalRequestBecomesAConverseRequest(Path dir) throws Exception {
        ObjectNode client = (ObjectNode) Golden.json(dir.resolve("client.json"));
        Golden.assertJson(ToConverseRequest.map(client), dir.resolve("upstream-request.json"));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void converseResponseBecomesAChatCompletion(Path dir) {
        Golden.assertJson(FromConverseResponse.map(Golden.json(dir.resolve("upstream-response.json")), "chatcmpl-golden",
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0", CREATED), dir.resolve("expected.json"));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void eventStreamFramesBecomeChatChunks(Path dir) {
        byte[] frames = EventStreamFrames.encode(Golden.json(dir.resolve("upstream-events.json")));
        Golden.assertText(replay(frames), dir.resolve("expected.sse"));
    }

    @Test
    void linkedImagesAndUnknownPartsAreRefusedByName() {
        ObjectNode linked = (ObjectNode) Golden.JSON.valueToTree(java.util.Map.of("model", "m", "max_tokens", 5,
                "messages", List.of(java.util.Map.of("role", "user", "content", List.of(java.util.Map.of(
                        "type", "image_url", "image_url", java.util.Map.of("url", "https://example.com/a.png")))))));
        assertThatThrownBy(() -> ToConverseRequest.map(linked)).hasMessageContaining("data URLs");
        ObjectNode audio = (ObjectNode) Golden.JSON.valueToTree(java.util.Map.of("model", "m", "max_tokens", 5,
                "messages", List.of(java.util.Map.of("role", "user", "content", List.of(java.util.Map.of(
                        "type", "input_audio"))))));
        assertThatThrownBy(() -> ToConverseRequest.map(audio)).hasMessageContaining("input_audio");
    }

    static String replay(byte[] frames) {
        StringBuilder out = new StringBuilder();
        // Fed a few bytes at a time: frames split across reads must still decode.
        ByteArrayInputStream in = new ByteArrayInputStream(frames) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        try (BedrockEventStream stream = new BedrockEventStream(in,
                new ConverseStreamDecoder("chatcmpl-golden", "model-x", CREATED))) {
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
            Path root = Path.of(BedrockGoldenTest.class.getResource("/golden/outbound/bedrock/" + area).toURI());
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
