package dev.tollgate.functions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of request bodies that are wrong by construction, for {@link MalformedInputFuzzIT}. Each case
 * starts from a valid body for its endpoint and applies one mutation that no correct server may accept: a strict
 * prefix of a JSON object, a raw control character or an invalid UTF-8 byte anywhere, a JSON value that is no
 * object, nesting past 1,000 levels or a number past 1,000 digits in a new field, a body that claims to be gzip,
 * an empty body, or one known field set to a value its validation refuses (or removed when it is required).
 */
final class MalformedInputs {

    /** One endpoint: a valid body and, per field, values that make the body invalid ({@code REMOVE}: leave it out). */
    record Endpoint(String name, String method, String path, String validBody, Map<String, List<String>> breakers) {
    }

    /** One request to send. {@code gzipHeader}: sent with {@code Content-Encoding: gzip} over a plain body. */
    record Case(int number, Endpoint endpoint, String mutation, byte[] body, boolean gzipHeader) {
        String describe() {
            String text = new String(body, StandardCharsets.UTF_8);
            return "#" + number + " " + endpoint.method() + " " + endpoint.name() + " [" + mutation + "] "
                    + (text.length() > 160 ? text.substring(0, 160) + "...(" + body.length + " bytes)" : text);
        }
    }

    static final String REMOVE = "<remove>";
    private static final String[] NOT_OBJECTS = {"[]", "[{\"model\":\"gemma3:1b\"}]", "\"text\"", "42", "null", "true",
            "-0.5e3", "\"\\u0000\""};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC3, '('}, {(byte) 0xF8, 'a'}};
    private static final String[] EMPTY = {"", " ", "\r\n\t "};

    private final Random random;

    MalformedInputs(long seed) {
        this.random = new Random(seed);
    }

    Case next(int number, List<Endpoint> endpoints) {
        Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
        String valid = endpoint.validBody();
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> field(number, endpoint);
            case 3 -> new Case(number, endpoint, "truncated", utf8(valid.substring(0, random.nextInt(valid.length()))), false);
            case 4 -> insert(number, endpoint, "control character", new byte[] {(byte) controlCharacter()});
            case 5 -> insert(number, endpoint, "invalid UTF-8", BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
            case 6 -> new Case(number, endpoint, "not an object", utf8(NOT_OBJECTS[random.nextInt(NOT_OBJECTS.length)]), false);
            case 7 -> new Case(number, endpoint, "deep nesting", utf8(withField(valid, "nested", deep(1001 + random.nextInt(3000)))), false);
            case 8 -> random.nextBoolean()
                    ? new Case(number, endpoint, "long number", utf8(withField(valid, "n", digits(1001 + random.nextInt(5000)))), false)
                    : new Case(number, endpoint, "gzip claimed, plain sent", utf8(valid), true);
            default -> random.nextBoolean()
                    ? new Case(number, endpoint, "empty", utf8(EMPTY[random.nextInt(EMPTY.length)]), false)
                    : new Case(number, endpoint, "deep nesting, whole body", utf8(deep(1001 + random.nextInt(3000))), false);
        };
    }

    private Case field(int number, Endpoint endpoint) {
        List<String> fields = new ArrayList<>(endpoint.breakers().keySet());
        String field = fields.get(random.nextInt(fields.size()));
        List<String> values = endpoint.breakers().get(field);
        String value = values.get(random.nextInt(values.size()));
        String body = value.equals(REMOVE) ? without(endpoint.validBody(), field) : withField(endpoint.validBody(), field, value);
        return new Case(number, endpoint, field + " = " + value, utf8(body), false);
    }

    private Case insert(int number, Endpoint endpoint, String mutation, byte[] bad) {
        byte[] valid = utf8(endpoint.validBody());
        int at = random.nextInt(valid.length + 1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(valid, 0, at);
        body.writeBytes(bad);
        body.write(valid, at, valid.length - at);
        return new Case(number, endpoint, mutation + " at byte " + at, body.toByteArray(), false);
    }

    /** U+0000 to U+001F without tab, LF and CR (JSON whitespace outside strings): invalid wherever it lands. */
    private int controlCharacter() {
        int c;
        do {
            c = random.nextInt(0x20);
        } while (c == '\t' || c == '\n' || c == '\r');
        return c;
    }

    private String deep(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            boolean array = random.nextBoolean();
            open.append(array ? "[" : "{\"k\":");
            close.insert(0, array ? "]" : "}");
        }
        return open.append("1").append(close).toString();
    }

    private String digits(int count) {
        StringBuilder number = new StringBuilder("9");
        for (int i = 1; i < count; i++) {
            number.append((char) ('0' + random.nextInt(10)));
        }
        return number.toString();
    }

    /** The valid body with {@code field} set to the raw JSON {@code value}, replacing the field if present. */
    static String withField(String body, String field, String value) {
        String without = without(body, field);
        String inner = without.substring(1, without.length() - 1).strip();
        return "{" + inner + (inner.isEmpty() ? "" : ",") + "\"" + field + "\":" + value + "}";
    }

    /** The valid body without {@code field}. Valid bodies here are flat objects written without spaces. */
    static String without(String body, String field) {
        com.fasterxml.jackson.databind.node.ObjectNode node;
        try {
            node = (com.fasterxml.jackson.databind.node.ObjectNode) ApiCalls.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a valid base body: " + body, e);
        }
        node.remove(field);
        return node.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
