package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading OpenAI-style Server-Sent Events (WHATWG HTML "Server-sent events", §9.2.6 interpretation). */
class SseEventsTest {

    @Test
    void readsDataLinesOneEventPerBlankLine() throws IOException {
        SseEvents events = events("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n");
        assertThat(events.next()).isEqualTo("{\"a\":1}");
        assertThat(events.next()).isEqualTo("{\"b\":2}");
        assertThat(events.next()).isNull();
        assertThat(events.next()).as("stays at end").isNull();
    }

    @Test
    void joinsMultiLineDataWithNewlines() throws IOException {
        SseEvents events = events("data: {\"a\":\ndata: 1}\n\n");
        assertThat(events.next()).isEqualTo("{\"a\":\n1}");
        assertThat(events.next()).isNull();
    }

    @Test
    void ignoresCommentsAndKeepAlives() throws IOException {
        SseEvents events = events(": OPENROUTER PROCESSING\n\n:\n\ndata: x\n: mid-event comment\ndata: y\n\n");
        assertThat(events.next()).isEqualTo("x\ny");
        assertThat(events.next()).isNull();
    }

    @Test
    void ignoresEventIdAndRetryFields() throws IOException {
        SseEvents events = events("event: message\nid: 7\nretry: 1000\ndata: payload\n\n");
        assertThat(events.next()).isEqualTo("payload");
    }

    @Test
    void blankLinesWithoutDataAreNotEvents() throws IOException {
        SseEvents events = events("\n\n\nevent: ping\n\ndata: real\n\n");
        assertThat(events.next()).isEqualTo("real");
        assertThat(events.next()).isNull();
    }

    @Test
    void doneReturnsTheSentinelInstance() throws IOException {
        SseEvents events = events("data: {\"x\":1}\n\ndata: [DONE]\n\n");
        assertThat(events.next()).isEqualTo("{\"x\":1}");
        String done = events.next();
        assertThat(done).isSameAs(SseEvents.DONE);
        assertThat(events.next()).isNull();
    }

    @Test
    void theSentinelIsNotTheInternedLiteral() throws IOException {
        // Callers compare by identity, so a chunk whose text merely equals "[DONE]" elsewhere must not match.
        assertThat(SseEvents.DONE).isEqualTo("[DONE]").isNotSameAs("[DONE]");
        SseEvents events = events("data: \"[DONE]\"\n\n");
        assertThat(events.next()).isEqualTo("\"[DONE]\"").isNotSameAs(SseEvents.DONE);
    }

    @Test
    void doneWithSurroundingWhitespaceIsStillDone() throws IOException {
        assertThat(events("data:  [DONE] \n\n").next()).isSameAs(SseEvents.DONE);
    }

    @Test
    void endOfInputWithoutBlankLineStillReturnsTheData() throws IOException {
        SseEvents events = events("data: {\"last\":true}");
        assertThat(events.next()).isEqualTo("{\"last\":true}");
        assertThat(events.next()).isNull();
    }

    @Test
    void doneAtEndOfInputWithoutBlankLineIsDone() throws IOException {
        assertThat(events("data: [DONE]").next()).isSameAs(SseEvents.DONE);
    }

    @Test
    void dataWithoutSpaceAfterColon() throws IOException {
        SseEvents events = events("data:{\"tight\":1}\n\ndata:\n\ndata:  two spaces\n\n");
        assertThat(events.next()).isEqualTo("{\"tight\":1}");
        assertThat(events.next()).as("empty data is an empty event").isEmpty();
        assertThat(events.next()).as("only one leading space is removed").isEqualTo(" two spaces");
    }

    @Test
    void handlesCrlfLineEndings() throws IOException {
        SseEvents events = events("data: a\r\n\r\ndata: [DONE]\r\n\r\n");
        assertThat(events.next()).isEqualTo("a");
        assertThat(events.next()).isSameAs(SseEvents.DONE);
    }

    @Test
    void readsATypicalOpenAiStream() throws IOException {
        String stream = """
                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}

                : keep-alive

                data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1}}

                data: [DONE]

                """;
        List<String> all = new ArrayList<>();
        SseEvents events = events(stream);
        for (String e = events.next(); e != null && e != SseEvents.DONE; e = events.next()) {
            all.add(e);
        }
        assertThat(all).hasSize(3);
        assertThat(all.get(1)).contains("\"content\":\"Hi\"");
        assertThat(all.get(2)).contains("\"usage\"");
    }

    private static SseEvents events(String text) {
        return new SseEvents(new BufferedReader(new StringReader(text)));
    }
}
