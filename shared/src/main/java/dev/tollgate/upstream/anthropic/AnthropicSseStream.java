package dev.tollgate.upstream.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.upstream.TranslatedSseStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Anthropic's SSE body, read event by event and handed out as OpenAI chunks; {@code message_stop} ends it. */
final class AnthropicSseStream extends TranslatedSseStream {

    AnthropicSseStream(InputStream in, AnthropicStreamDecoder decoder) {
        super(in, new Translator() {
            @Override
            public List<ObjectNode> translate(JsonNode event) throws IOException {
                try {
                    return decoder.decode(event);
                } catch (AnthropicStreamDecoder.StreamError e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public boolean ended() {
                return decoder.stopped();
            }
        });
    }
}
