package dev.tollgate.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A Responses SSE body, read event by event and handed out as chat chunks. Responses streams end with
 * {@code response.completed} (no {@code [DONE]}); a body that closes before it is a cut stream.
 */
final class ResponsesSseStream implements UpstreamStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InputStream in;
    private final SseEvents events;
    private final ResponsesStreamDecoder decoder;
    private final ArrayDeque<String> pending = new ArrayDeque<>();

    ResponsesSseStream(InputStream in, ResponsesStreamDecoder decoder) {
        this.in = in;
        this.events = new SseEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        this.decoder = decoder;
    }

    @Override
    public String next() throws IOException {
        while (pending.isEmpty()) {
            if (decoder.finished()) {
                return SseEvents.DONE;
            }
            String data = events.next();
            if (data == null || data == SseEvents.DONE) {
                return null; // closed before response.completed: a cut stream, whatever the server meant
            }
            JsonNode event;
            try {
                event = JSON.readTree(data);
            } catch (IOException e) {
                throw new IOException("upstream sent an event that is not JSON", e);
            }
            try {
                decoder.decode(event).forEach(chunk -> pending.add(chunk.toString()));
            } catch (ResponsesStreamDecoder.StreamError e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return pending.poll();
    }

    @Override
    public boolean hasBuffered() {
        return !pending.isEmpty() || events.ready();
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
