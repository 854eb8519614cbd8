package dev.tollgate.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.openai.JsonBodies;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed embeddings request. Only the fields Tollgate acts on are read; the body is kept whole, so an
 * upstream model receives every field (including ones Tollgate does not know) unchanged.
 *
 * <p>{@code input} takes the four OpenAI shapes: a string, an array of strings, an array of token ids, or an
 * array of token-id arrays; at most {@value #MAX_INPUTS} inputs, none empty, as OpenAI's API allows.
 *
 * @param dimensions the requested vector length, or {@code null} for the model's own
 */
public record EmbeddingRequest(ObjectNode body, String model, List<EmbeddingInput> inputs, EncodingFormat format,
                               Integer dimensions) {

    /** OpenAI's limit on inputs per request. */
    public static final int MAX_INPUTS = 2048;
    private static final String EXAMPLE = "{\"model\":\"all-minilm-l6-v2\",\"input\":\"The food was delicious.\"}";
    private static final String SHAPES = "'input' must be a string, an array of strings, an array of token ids"
            + " or an array of token-id arrays.";

    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }

    public static EmbeddingRequest parse(byte[] bytes, ObjectMapper json) {
        ObjectNode body = JsonBodies.object(bytes, json, EXAMPLE);
        String model = JsonBodies.requireString(body, "model");
        return new EmbeddingRequest(body, model, inputs(body.get("input")), format(body.get("encoding_format")),
                dimensions(body.get("dimensions")));
    }

    /** How an input is named in error messages: {@code input[3]}, or just {@code input} when there is one. */
    public String label(int index) {
        return inputs.size() == 1 && !body.path("input").isArray() ? "The input" : "input[" + index + "]";
    }

    private static List<EmbeddingInput> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw ApiException.invalid("input", "Missing required parameter: 'input'. " + SHAPES);
        }
        if (input.isTextual()) {
            return List.of(text(input, "The input"));
        }
        if (!input.isArray()) {
            throw ApiException.invalid("input", SHAPES);
        }
        if (input.isEmpty()) {
            throw ApiException.invalid("input", "'input' is an empty array; send at least one input.");
        }
        if (input.get(0).isIntegralNumber()) {
            return List.of(tokens(input, "input"));
        }
        if (input.size() > MAX_INPUTS) {
            throw ApiException.invalid("input", "'input' has " + input.size() + " items; at most " + MAX_INPUTS
                    + " fit in one request. Split them over several requests.");
        }
        boolean texts = input.get(0).isTextual();
        List<EmbeddingInput> inputs = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String label = "input[" + i + "]";
            if (texts && item.isTextual()) {
                inputs.add(text(item, label));
            } else if (!texts && item.isArray()) {
                inputs.add(tokens(item, label));
            } else {
                throw ApiException.invalid("input", SHAPES + " " + label + " does not match the first item.");
            }
        }
        return inputs;
    }

    private static EmbeddingInput text(JsonNode node, String label) {
        if (node.asText().isEmpty()) {
            throw ApiException.invalid("input", label + " is an empty string; every input needs some text.");
        }
        return new EmbeddingInput.Text(node.asText());
    }

    private static EmbeddingInput tokens(JsonNode array, String label) {
        if (array.isEmpty()) {
            throw ApiException.invalid("input", label + " is an empty token array; every input needs a token.");
        }
        long[] ids = new long[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
                throw ApiException.invalid("input", label + " must hold only token ids (non-negative integers); item "
                        + i + " is " + id + ".");
            }
            ids[i] = id.asInt();
        }
        return new EmbeddingInput.Tokens(ids);
    }

    private static EncodingFormat format(JsonNode value) {
        if (value == null || value.isNull()) {
            return EncodingFormat.FLOAT;
        }
        for (EncodingFormat format : EncodingFormat.values()) {
            if (value.isTextual() && format.wire().equals(value.asText())) {
                return format;
            }
        }
        throw ApiException.invalid("encoding_format", "'encoding_format' must be \"float\" or \"base64\", got " + value + ".");
    }

    private static Integer dimensions(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
            throw ApiException.invalid("dimensions", "'dimensions' must be a positive integer.");
        }
        return value.asInt();
    }
}
