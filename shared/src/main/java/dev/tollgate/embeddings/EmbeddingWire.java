package dev.tollgate.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.chat.ChatWire;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.metering.TokenUsage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Pure mappings of the OpenAI embeddings wire format, no I/O: the {@code list} response, vector encodings
 * ({@code float} JSON numbers or {@code base64} of little-endian float32, byte for byte what OpenAI sends),
 * and the usage-with-cost block.
 */
public final class EmbeddingWire {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EmbeddingWire() {
    }

    /** {@code {"object":"list","data":[{"object":"embedding","index":i,"embedding":...}],"model":...}}. */
    public static ObjectNode list(List<float[]> vectors, EncodingFormat format, String model) {
        ObjectNode root = NODES.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            item.set("embedding", encode(vectors.get(i), format));
        }
        root.put("model", model);
        return root;
    }

    public static JsonNode encode(float[] vector, EncodingFormat format) {
        if (format == EncodingFormat.BASE64) {
            return NODES.textNode(base64(vector));
        }
        ArrayNode values = NODES.arrayNode(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return values;
    }

    /** Little-endian IEEE-754 float32, concatenated, standard base64: numpy's {@code frombuffer(..., "<f4")} reads it. */
    public static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    public static float[] fromBase64(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(vector);
        return vector;
    }

    /**
     * The first {@code dimensions} components, scaled back to unit length: how a Matryoshka-trained model's
     * vectors are shortened (only for models whose catalog entry says {@code supports_dimensions}).
     */
    public static float[] shorten(float[] vector, int dimensions) {
        if (dimensions >= vector.length) {
            return vector;
        }
        float[] shorter = Arrays.copyOf(vector, dimensions);
        double squares = 0;
        for (float v : shorter) {
            squares += (double) v * v;
        }
        double norm = Math.sqrt(squares);
        for (int i = 0; norm > 0 && i < shorter.length; i++) {
            shorter[i] = (float) (shorter[i] / norm);
        }
        return shorter;
    }

    /**
     * An upstream's answer as a {@code list} whose vectors are in the caller's {@code format}: an upstream that
     * ignores {@code encoding_format} (or answers base64 unasked) still gives the caller what it asked for.
     *
     * @throws ApiException 502 if the body is not an embeddings list
     */
    public static ObjectNode fromUpstream(byte[] body, EncodingFormat format, ObjectMapper json, String model) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (!(root instanceof ObjectNode list) || !root.path("data").isArray()) {
            throw new ApiException(ErrorCode.UPSTREAM_FAILED, "The upstream serving " + model
                    + " answered with something that is not an embeddings list. Retry later or use another model.");
        }
        for (JsonNode item : list.path("data")) {
            JsonNode embedding = item.get("embedding");
            if (item instanceof ObjectNode object && embedding != null) {
                if (format == EncodingFormat.BASE64 && embedding.isArray()) {
                    object.put("embedding", base64(floats(embedding)));
                } else if (format == EncodingFormat.FLOAT && embedding.isTextual()) {
                    object.set("embedding", encode(fromBase64(embedding.asText()), EncodingFormat.FLOAT));
                }
            }
        }
        return list;
    }

    private static float[] floats(JsonNode array) {
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = array.get(i).floatValue();
        }
        return vector;
    }

    /**
     * Writes {@code usage} as OpenAI does for embeddings (prompt and total tokens), with its {@code cost} in
     * dollars, and Tollgate's billing summary, as chat responses carry it.
     */
    public static void putUsage(ObjectNode target, TokenUsage usage, Settlement settlement, String requestId) {
        ObjectNode usageNode = target.putObject("usage");
        usageNode.put("prompt_tokens", usage.promptTokens());
        usageNode.put("total_tokens", usage.promptTokens());
        ChatWire.putCharge(target, usageNode, usage, settlement, requestId);
    }
}
