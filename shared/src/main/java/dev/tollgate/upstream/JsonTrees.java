package dev.tollgate.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tollgate.json.JsonBuffers;
import java.nio.charset.StandardCharsets;

/**
 * JSON trees written as UTF-8 bytes: the bodies each provider sends upstream, the buffered answers the chat
 * service returns and the chunks of a relayed stream. The bytes are exactly {@code toString()}'s text in UTF-8,
 * written straight to bytes rather than as characters encoded afterwards: a character outside the Basic Multilingual
 * Plane (an emoji) as its four UTF-8 bytes, not as two escaped surrogates (Jackson's default for byte output), and a
 * lone surrogate, which has no UTF-8 form, as {@code ?} as the encoding of the text gives it (escaped, it would be
 * text some clients refuse to parse, and the tokenizer counts it as {@code ?}). Jackson's byte writer escapes a lone
 * surrogate, so a tree whose bytes hold a surrogate's escape is written through its text instead: rare, and a
 * backslash the text itself holds can only cost that detour.
 */
public final class JsonTrees {

    private static final ObjectWriter WRITER = JsonMapper.builder(JsonBuffers.factory())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build()
            .writer();

    private JsonTrees() {
    }

    public static byte[] bytes(JsonNode tree) {
        byte[] bytes = direct(tree);
        return hasSurrogateEscape(bytes) ? tree.toString().getBytes(StandardCharsets.UTF_8) : bytes;
    }

    /** What Jackson's byte writer gives, before the detour for a lone surrogate. */
    static byte[] direct(JsonNode tree) {
        try {
            return WRITER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** Whether {@code bytes} hold {@code \\uD800}-{@code \\uDFFF}, the escape Jackson writes for a lone surrogate. */
    private static boolean hasSurrogateEscape(byte[] bytes) {
        for (int i = 0; i < bytes.length - 3; i++) {
            if (bytes[i] == '\\' && bytes[i + 1] == 'u' && (bytes[i + 2] == 'D' || bytes[i + 2] == 'd')) {
                byte next = bytes[i + 3];
                if (next >= '8' && next <= '9' || next >= 'A' && next <= 'F' || next >= 'a' && next <= 'f') {
                    return true;
                }
            }
        }
        return false;
    }
}
