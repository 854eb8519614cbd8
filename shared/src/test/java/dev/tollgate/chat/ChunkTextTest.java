package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String PUBLIC = "\"qwen/qwen3-coder:free\"";

    /** What the relay does: parse, read the tree's model, splice. */
    private static String splice(String text) throws Exception {
        JsonNode tree = JSON.readTree(text);
        JsonNode model = tree.get("model");
        return ChunkText.withModel(text, tree, model != null && model.isTextual() ? model.textValue() : null, PUBLIC);
    }

    @Test
    void replacesTheTopLevelModelAndKeepsEverythingElseAsWritten() throws Exception {
        String text = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen3-coder\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\\u00e9 \\\"model\\\": x\",\"model\":\"inner\"},"
                + "\"finish_reason\":null,\"logprobs\":{\"content\":[\"a\",[\"b\",\"c\"],{\"d\":\"e\"}]}}]}";

        assertThat(splice(text)).isEqualTo(text.replace("\"model\":\"qwen3-coder\"", "\"model\":" + PUBLIC));
    }

    @Test
    void keepsSpacesTheUpstreamWrote() throws Exception {
        assertThat(splice(" { \"model\" : \"m\" , \"choices\" : [ ] } ")).isEqualTo(" { \"model\" : " + PUBLIC + " , \"choices\" : [ ] } ");
    }

    @Test
    void givesUpWheneverTheTextCouldSayMoreThanTheTree() throws Exception {
        List<String> refused = List.of(
                "{\"model\":\"m\",\n\"choices\":[]}",                       // a line break would break the frame
                "{\"model\":\"m\",\"choices\":[]}\r",
                "{\"model\":\"a\",\"mod\\u0065l\":\"a\",\"choices\":[]}",    // an escaped key may be a second model
                "{\"model\":\"a\",\"model\":\"a\"}",                         // twice
                // a key twice in a nested object: a client keeping the first would read uncounted text
                "{\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"long uncounted text\",\"content\":\"x\"}}]}",
                "{\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"long\",\"cont\\u0065nt\":\"x\"}}]}",
                "{\"model\":\"a\",\"model\":\"b\"}",
                "{\"model\":\"m\\u0031\"}",                                  // an escaped value
                "{\"model\":\"m\",\"choices\":" + "[".repeat(70) + "]".repeat(70) + "}",      // deeper than tracked
                "{\"model\":1}",                                             // not a string
                "{\"model\":null}",
                "{\"model\":{\"x\":\"m\"}}",
                "{\"choices\":[]}",                                          // no model: the tree gains one
                "{\"model\":\"m\"} {\"model\":\"x\"}",                       // something after the object
                "{\"model\":\"m\"} x",
                "[{\"model\":\"m\"}]");
        for (String text : refused) {
            assertThat(splice(text)).as(text).isNull();
        }
    }

    @Test
    void aModelTheTreeDoesNotHoldIsNotReplaced() {
        JsonNode tree = JSON.createObjectNode().put("model", "a");
        assertThat(ChunkText.withModel("{\"model\":\"a\"}", tree, "b", PUBLIC)).isNull();
        assertThat(ChunkText.withModel("{\"model\":\"a\"}", tree, null, PUBLIC)).isNull();
    }

    /**
     * Random chunks, written with random spacing, escapes, nested and repeated keys and trailing text: whatever
     * is not refused parses to exactly the tree with the model replaced, is one line, and has one top-level key
     * that reads "model".
     */
    @Test
    void randomChunksEitherSpliceToTheTreeOrAreRefused() throws Exception {
        Random random = new Random(20261207);
        int spliced = 0;
        for (int round = 0; round < 20_000; round++) {
            String text = randomChunk(random);
            JsonNode tree;
            try {
                tree = JSON.readTree(text);
            } catch (Exception notJson) {
                continue;
            }
            if (!(tree instanceof ObjectNode object)) {
                continue;
            }
            JsonNode model = object.get("model");
            String result = ChunkText.withModel(text, object, model != null && model.isTextual() ? model.textValue() : null, PUBLIC);
            if (result == null) {
                continue;
            }
            spliced++;
            ObjectNode expected = object.deepCopy().put("model", "qwen/qwen3-coder:free");
            assertThat(result).as(text).doesNotContain("\n").doesNotContain("\r");
            assertThat(JSON.readTree(result)).as(text).isEqualTo(expected);
            assertThat(STRICT.readTree(result)).as("no key twice, nothing after the object: " + text).isEqualTo(expected);
            assertThat(topLevelModelKeys(result)).as(text).isEqualTo(1);
        }
        assertThat(spliced).as("most random chunks are plain enough to splice").isGreaterThan(2_000);
    }

    private static int topLevelModelKeys(String text) throws Exception {
        int count = 0;
        try (JsonParser parser = JSON.createParser(text)) {
            parser.nextToken();
            String name;
            while ((name = parser.nextFieldName()) != null) {
                count += name.equals("model") ? 1 : 0;
                parser.nextToken();
                parser.skipChildren();
            }
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
        }
        return count;
    }

    private static final String[] KEYS = {"model", "model", "id", "choices", "mod\\u0065l", "usage", "m\\\"odel",
        "content", "cont\\u0065nt"};
    private static final String[] STRINGS = {"m", "qwen3-coder", "a\\\"b", "caf\\u00e9", "x\\ny", "{\\\"model\\\":1}", "", "\\\\"};

    private static String randomChunk(Random random) {
        StringBuilder out = new StringBuilder();
        space(random, out);
        object(random, out, 0);
        if (random.nextInt(10) == 0) {
            out.append(random.nextBoolean() ? " {\"model\":\"z\"}" : " x");
        }
        space(random, out);
        return out.toString();
    }

    private static void object(Random random, StringBuilder out, int depth) {
        out.append('{');
        int fields = random.nextInt(5);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            keys.add(KEYS[random.nextInt(KEYS.length)]);
        }
        if (depth == 0 && random.nextInt(5) != 0) {
            keys.add(random.nextInt(keys.size() + 1), null); // the upstream's model, as upstreams write it
        }
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            space(random, out);
            out.append('"').append(keys.get(i) == null ? "model" : keys.get(i)).append('"');
            space(random, out);
            out.append(':');
            space(random, out);
            if (keys.get(i) == null) {
                out.append("\"qwen3-coder\"");
            } else {
                value(random, out, depth + 1);
            }
            space(random, out);
        }
        out.append('}');
    }

    private static void value(Random random, StringBuilder out, int depth) {
        switch (random.nextInt(depth > 2 ? 4 : 6)) {
            case 0, 1 -> out.append('"').append(STRINGS[random.nextInt(STRINGS.length)]).append('"');
            case 2 -> out.append(random.nextInt(1000));
            case 3 -> out.append(random.nextBoolean() ? "null" : "true");
            case 4 -> object(random, out, depth);
            default -> {
                out.append('[');
                int items = random.nextInt(3);
                for (int i = 0; i < items; i++) {
                    out.append(i > 0 ? "," : "");
                    value(random, out, depth + 1);
                }
                out.append(']');
            }
        }
    }

    private static void space(Random random, StringBuilder out) {
        switch (random.nextInt(40)) {
            case 0, 1, 2 -> out.append(' ');
            case 3 -> out.append('\t');
            case 4 -> out.append('\n');
            default -> {
            }
        }
    }
}
