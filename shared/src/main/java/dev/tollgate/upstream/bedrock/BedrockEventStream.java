package dev.tollgate.upstream.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * A ConverseStream body ({@code application/vnd.amazon.eventstream}: binary frames, each with {@code :message-type},
 * {@code :event-type} headers and a JSON payload) handed out as OpenAI chunks. An {@code exception} frame mid-stream
 * (throttling, a model stream error) fails the stream, as a broken connection would.
 */
final class BedrockEventStream implements UpstreamStream {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private final InputStream in;
    private final ConverseStreamDecoder decoder;
    private final MessageDecoder frames = new MessageDecoder();
    private final ArrayDeque<Message> decoded = new ArrayDeque<>();
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private final byte[] buffer = new byte[8192];

    BedrockEventStream(InputStream in, ConverseStreamDecoder decoder) {
        this.in = in;
        this.decoder = decoder;
    }

    @Override
    public String next() throws IOException {
        while (pending.isEmpty()) {
            if (decoder.finished()) {
                return SseEvents.DONE;
            }
            Message message = nextMessage();
            if (message == null) {
                // The body ended. After messageStop the message is whole, only the usage is missing; before it, cut.
                return decoder.stopped() ? SseEvents.DONE : null;
            }
            String type = header(message, ":message-type");
            JsonNode payload = payload(message);
            if (!"event".equals(type)) {
                throw new IOException("upstream stream error: " + header(message, ":exception-type") + ": "
                        + payload.path("message").asText(""));
            }
            decoder.decode(header(message, ":event-type"), payload).forEach(chunk -> pending.add(chunk.toString()));
        }
        return pending.poll();
    }

    private Message nextMessage() throws IOException {
        while (decoded.isEmpty()) {
            int read = in.read(buffer);
            if (read < 0) {
                return null;
            }
            try {
                frames.feed(buffer, 0, read);
            } catch (RuntimeException e) {
                throw new IOException("upstream sent a frame that is not AWS event-stream", e);
            }
            decoded.addAll(frames.getDecodedMessages());
        }
        return decoded.poll();
    }

    private static String header(Message message, String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? "" : value.getString();
    }

    private static JsonNode payload(Message message) throws IOException {
        if (message.getPayload().length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(message.getPayload());
        } catch (IOException e) {
            throw new IOException("upstream sent an event whose payload is not JSON", e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is how a stream is cancelled
        }
    }
}
