package dev.tollgate.upstream.openai;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the translation toward an upstream with {@code api: responses}, under
 * {@code golden/outbound/responses}: {@code client.json → upstream-request.json} (the internal chat request as a
 * Responses request), {@code upstream-response.json → expected.json} (a Responses response as a chat completion),
 * {@code upstream.sse → expected.sse} (Responses events as the chunks the relay reads: one {@code data:} line per
 * chunk, {@code [DONE]}, or how the stream failed). The upstream fixtures follow OpenAI's Responses API reference.
 */
class ResponsesUpstreamGoldenTest {

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
    void chatRequestBecomesAResponsesRequest(Path dir) {
        ObjectNode client = (ObjectNode) Golden.json(dir.resolve("client.json"));
        Golden.assertJson(ToResponsesRequest.map(client), dir.resolve("upstream-request.json"));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void responseBecomesAChatCompletion(Path dir) {
        Golden.assertJson(FromResponsesResponse.map(Golden.json(dir.resolve("upstream-response.json"))),
                dir.resolve("expected.json"));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void eventsBecomeChatChunks(Path dir) {
        Golden.assertText(replay(Golden.bytes(dir.resolve("upstream.sse"))), dir.resolve("expected.sse"));
    }

    static String replay(byte[] sse) {
        StringBuilder out = new StringBuilder();
        try (ResponsesSseStream stream = new ResponsesSseStream(new ByteArrayInputStream(sse), new ResponsesStreamDecoder())) {
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
            Path root = Path.of(ResponsesUpstreamGoldenTest.class.getResource("/golden/outbound/responses/" + area).toURI());
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
