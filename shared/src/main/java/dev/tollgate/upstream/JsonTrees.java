package dev.tollgate.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * JSON trees written as UTF-8 bytes: the bodies each provider sends upstream, the buffered answers the chat
 * service returns and the chunks of a relayed stream. A default mapper's writer, so the text is what
 * {@code toString()} gives, written straight to bytes rather than as characters encoded afterwards. Characters
 * outside the Basic Multilingual Plane (emoji) are written as their four UTF-8 bytes, as {@code toString()} gives
 * them, not as a pair of escaped surrogates (Jackson's default for byte output); a lone surrogate, which has no
 * UTF-8 form, is written escaped.
 */
public final class JsonTrees {

    private static final ObjectWriter WRITER = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build()
            .writer();

    private JsonTrees() {
    }

    public static byte[] bytes(JsonNode tree) {
        try {
            return WRITER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** Appends the tree's bytes to {@code out}. */
    public static void write(JsonNode tree, ByteArrayOutputStream out) {
        try {
            WRITER.writeValue(out, tree);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
