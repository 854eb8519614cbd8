package dev.tollgate.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * JSON trees written as UTF-8 bytes: the bodies each provider sends upstream and the buffered answers the chat
 * service returns. A default mapper's writer, so the text is what {@code toString()} gives, written straight to
 * bytes rather than as characters encoded afterwards.
 */
public final class JsonTrees {

    private static final ObjectWriter WRITER = new ObjectMapper().writer();

    private JsonTrees() {
    }

    public static byte[] bytes(JsonNode tree) {
        try {
            return WRITER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
