package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import java.io.IOException;
import java.math.BigDecimal;

/** Parsing and field checks shared by every JSON request body, each failure a 400 naming the field. */
public final class JsonBodies {

    private static final int MAX_SCALE = 64;

    private JsonBodies() {
    }

    /** The body as a JSON object, or a 400 that shows an example of a valid body. */
    public static ObjectNode object(byte[] bytes, ObjectMapper json, String example) {
        if (bytes == null || bytes.length == 0) {
            throw ApiException.invalid(null, "The request body is empty. Send a JSON object such as " + example + ".");
        }
        int invalid = Utf8.firstInvalid(bytes);
        if (invalid >= 0) {
            throw ApiException.invalid(null, "The request body is not valid UTF-8 (byte " + String.format("0x%02X",
                    bytes[invalid] & 0xFF) + " at offset " + invalid + "). Send JSON encoded as UTF-8.");
        }
        JsonNode node;
        try {
            // Without FAIL_ON_TRAILING_TOKENS Jackson reads the first value and ignores the rest: {...}garbage
            // would pass, and so would a second request body pasted after the first.
            node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.invalid(null, "The request body is JSON beyond Tollgate's parsing limits ("
                    + withoutJacksonNames(e.getOriginalMessage()) + "). Send a JSON object such as " + example + ".");
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(null, "The request body is not valid JSON (" + e.getOriginalMessage()
                    + where(e.getLocation()) + "). Send a JSON object such as " + example + ".");
        } catch (IOException e) {
            throw ApiException.invalid(null, "The request body could not be read as JSON.");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid(null, "The request body must be a JSON object such as " + example + ".");
        }
        return (ObjectNode) node;
    }

    /** Jackson leaves the location out of some errors (its nesting and size limits): then none is shown. */
    private static String where(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * "Document nesting depth (1001) exceeds the maximum allowed (1000, from
     * `StreamReadConstraints.getMaxNestingDepth()`)" without the part that names Jackson's setting.
     */
    static String withoutJacksonNames(String message) {
        return message == null ? "limit exceeded" : message.replaceAll(", from `[^`]*`", "");
    }

    public static String requireString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.invalid(field, "Missing required parameter: '" + field + "'.");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw ApiException.invalid(field, "'" + field + "' must be a non-empty string.");
        }
        return value.asText();
    }

    /** A required dollar amount ({@code "5.00"} or {@code 5.00}), or a 400 naming the field. */
    public static Money requireDollars(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.invalid(field, "Missing required parameter: '" + field + "', a dollar amount like \"5.00\".");
        }
        try {
            return dollars(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "'" + field + "' " + e.getMessage());
        }
    }

    /**
     * A JSON string or number read as dollars, exactly (never through a double).
     *
     * @throws IllegalArgumentException if it is not a plain decimal with at most six decimals
     */
    public static Money dollars(JsonNode value) {
        if (!value.isNumber()) {
            return Money.parseDollars(value.asText());
        }
        BigDecimal number = value.decimalValue();
        // 1e999999999 as a BigDecimal would print a billion digits: no amount of money has such a scale.
        if (number.scale() < -MAX_SCALE || number.scale() > MAX_SCALE) {
            return Money.parseDollars(value.asText());
        }
        return Money.parseDollars(number.toPlainString());
    }

    public static void optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw ApiException.invalid(field, "'" + field + "' must be true or false.");
        }
    }

    public static void optionalPositiveInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1)) {
            throw ApiException.invalid(field, "'" + field + "' must be a positive integer.");
        }
    }
}
