package dev.tollgate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.http.UpstreamHttp;
import dev.tollgate.json.JsonBuffers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * An upstream's SSE body in another wire format (Anthropic Messages, OpenAI Responses), read event by event and
 * handed out as OpenAI chat chunks by a {@link Translator}. The format's own final event ends the stream; a body
 * that closes before it is a cut stream, whatever the server meant.
 */
public abstract class TranslatedSseStream implements UpstreamStream {

    /** One wire format's stream events turned into chat chunks. */
    public interface Translator {
        /** The chat chunks one event becomes (often none); an {@link IOException} when the upstream reports an error. */
        List<ObjectNode> translate(JsonNode event) throws IOException;

        /** Whether the format's final event has been seen. */
        boolean ended();
    }

    private static final ObjectMapper JSON = JsonBuffers.mapper();
    private final InputStream in;
    private final SseEvents events;
    private final Translator translator;
    private final ArrayDeque<String> pending = new ArrayDeque<>();

    protected TranslatedSseStream(InputStream in, Translator translator) {
        this.in = in;
        this.events = new SseEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        this.translator = translator;
    }

    @Override
    public String next() throws IOException {
        while (pending.isEmpty()) {
            if (translator.ended()) {
                return SseEvents.DONE;
            }
            String data = events.next();
            if (data == null || data == SseEvents.DONE) {
                return null; // closed before the format's final event: a cut stream
            }
            JsonNode event;
            try {
                event = JSON.readTree(data);
            } catch (IOException e) {
                throw new IOException("upstream sent an event that is not JSON", e);
            }
            translator.translate(event).forEach(chunk -> pending.add(chunk.toString()));
        }
        return pending.poll();
    }

    @Override
    public boolean hasBuffered() {
        return !pending.isEmpty() || events.ready();
    }

    @Override
    public void beforeWaiting(Runnable flush) {
        UpstreamHttp.Streamed.beforeWaiting(in, flush);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is how a stream is cancelled; nothing more to do
        }
    }
}
