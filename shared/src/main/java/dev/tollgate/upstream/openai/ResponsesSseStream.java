package dev.tollgate.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.upstream.TranslatedSseStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A Responses SSE body, read event by event and handed out as chat chunks. Responses streams end with
 * {@code response.completed} (no {@code [DONE]}); a body that closes before it is a cut stream.
 */
final class ResponsesSseStream extends TranslatedSseStream {

    ResponsesSseStream(InputStream in, ResponsesStreamDecoder decoder) {
        super(in, new Translator() {
            @Override
            public List<ObjectNode> translate(JsonNode event) throws IOException {
                try {
                    return decoder.decode(event);
                } catch (ResponsesStreamDecoder.StreamError e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public boolean ended() {
                return decoder.finished();
            }
        });
    }
}
