// Frame layout follows the AWS event-stream encoding used by Bedrock's ConverseStream: headers :message-type
// (event or exception), :event-type or :exception-type, :content-type, and a JSON payload.
package dev.tollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Encodes a script of ConverseStream events with the AWS event-stream codec, as Bedrock sends them. Each script
 * entry is {@code {"event": "<type>", "payload": {...}}} or {@code {"exception": "<type>", "payload": {...}}}.
 */
public final class EventStreamFrames {

    private EventStreamFrames() {
    }

    public static byte[] encode(JsonNode script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode entry : script) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            if (entry.has("exception")) {
                headers.put(":message-type", HeaderValue.fromString("exception"));
                headers.put(":exception-type", HeaderValue.fromString(entry.path("exception").asText()));
            } else {
                headers.put(":message-type", HeaderValue.fromString("event"));
                headers.put(":event-type", HeaderValue.fromString(entry.path("event").asText()));
            }
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            byte[] payload = entry.path("payload").toString().getBytes(StandardCharsets.UTF_8);
            try {
                new Message(headers, payload).encode(out);
            } catch (RuntimeException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
        return out.toByteArray();
    }
}
