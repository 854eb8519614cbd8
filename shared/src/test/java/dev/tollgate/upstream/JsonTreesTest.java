package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode tree(String text) {
        ObjectNode tree = JSON.createObjectNode().put("text", text).put("n", 12_345_678_901L).put("x", 0.5);
        tree.putArray("list").add(true).addNull().addObject().put("k", "v\"\\\n");
        return tree;
    }

    private static byte[] textBytes(ObjectNode tree) {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void emojiAreTheirUtf8BytesNotEscapedSurrogates() {
        ObjectNode tree = tree("caf\u00e9 \uD83D\uDE00 \u4e2d\u6587 \u0001");

        assertThat(JsonTrees.bytes(tree)).isEqualTo(textBytes(tree));
        assertThat(new String(JsonTrees.bytes(tree), StandardCharsets.UTF_8)).contains("\uD83D\uDE00").doesNotContain("\\uD83D");
        // and without the detour through the text, which is for lone surrogates only
        assertThat(JsonTrees.direct(tree)).isEqualTo(textBytes(tree));
    }

    /** A lone surrogate has no UTF-8 form: written as the text's encoding writes it, {@code ?}, not escaped. */
    @Test
    void aLoneSurrogateIsAQuestionMarkAsInTheText() {
        ObjectNode tree = tree("lone \uD800 here, low \uDC00 too, pair split \uDE00\uD83D");

        String written = new String(JsonTrees.bytes(tree), StandardCharsets.UTF_8);

        assertThat(written).contains("lone ? here, low ? too, pair split ??").doesNotContain("\\uD").doesNotContain("\\ud");
        assertThat(JsonTrees.bytes(tree)).isEqualTo(textBytes(tree));
    }

    /** Text that only looks like a surrogate's escape (its backslash is the text's own) comes out as it is. */
    @Test
    void aBackslashBeforeUd800InTheTextIsKept() {
        ObjectNode tree = tree("\\uD800 and \\ud83d");

        assertThat(new String(JsonTrees.bytes(tree), StandardCharsets.UTF_8)).contains("\\\\uD800 and \\\\ud83d");
        assertThat(JsonTrees.bytes(tree)).isEqualTo(textBytes(tree));
    }

    /** Random text of every kind of character: the bytes are always the text's, in UTF-8. */
    @Test
    void randomTextIsWrittenAsItsUtf8() {
        Random random = new Random(20261207);
        char[] kinds = {'a', '"', '\\', '\n', '\u0001', '\u00e9', '\u4e2d', '\uD83D', '\uDE00', '\uDBFF', '\uDC00', 'u', 'D', '8'};
        for (int round = 0; round < 5_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                text.append(kinds[random.nextInt(kinds.length)]);
            }
            ObjectNode tree = tree(text.toString());
            assertThat(JsonTrees.bytes(tree)).as(text.toString()).isEqualTo(textBytes(tree));
        }
    }
}
