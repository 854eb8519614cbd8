package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tollgate_reasoning_in_content}: reasoning inlined between think tags, buffered and streamed. */
class ReasoningInContentTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bufferedReasoningGoesInFrontOfTheContent() throws Exception {
        byte[] out = ReasoningInContent.buffered(("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"reasoning_content\":\"Because.\",\"content\":\"Yes.\"}}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(JSON.readTree(out).path("choices").get(0).path("message"))
                .isEqualTo(JSON.readTree("{\"role\":\"assistant\",\"content\":\"<think>Because.</think>Yes.\"}"));
    }

    @Test
    void streamedReasoningIsOpenedOnceAndClosedBeforeTheAnswer() throws Exception {
        List<String> out = drain(ReasoningInContent.stream(stream(
                delta("{\"role\":\"assistant\",\"content\":\"\"}", null),
                delta("{\"reasoning\":\"Let me \"}", null),
                delta("{\"reasoning_content\":\"think.\"}", null),
                delta("{\"content\":\"Answer\"}", null),
                delta("{}", "\"stop\""),
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":4}}")));
        assertThat(String.join("", out.stream().map(ReasoningInContentTest::content).toList()))
                .isEqualTo("<think>Let me think.</think>Answer");
        assertThat(out.getLast()).isSameAs(SseEvents.DONE);
    }

    @Test
    void aStreamThatEndsWhileThinkingClosesTheTagWithTheFinishChunk() throws Exception {
        List<String> out = drain(ReasoningInContent.stream(stream(
                delta("{\"reasoning_content\":\"Hmm\"}", null), delta("{}", "\"length\""))));
        assertThat(String.join("", out.stream().map(ReasoningInContentTest::content).toList())).isEqualTo("<think>Hmm</think>");
    }

    private static String delta(String delta, String finish) {
        return "{\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
    }

    private static String content(String chunk) {
        try {
            return chunk == SseEvents.DONE ? "" : JSON.readTree(chunk).path("choices").path(0).path("delta").path("content").asText("");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> drain(UpstreamStream stream) throws IOException {
        List<String> out = new ArrayList<>();
        String next;
        do {
            next = stream.next();
            out.add(next);
        } while (next != null && next != SseEvents.DONE);
        return out;
    }

    private static UpstreamStream stream(String... chunks) {
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(chunks));
        queue.add(SseEvents.DONE);
        return new UpstreamStream() {
            @Override
            public String next() {
                return queue.poll();
            }

            @Override
            public void close() {
            }
        };
    }
}
