package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode tree(String text) {
        ObjectNode tree = JSON.createObjectNode().put("text", text).put("n", 12_345_678_901L).put("x", 0.5);
        tree.putArray("list").add(true).addNull().addObject().put("k", "v\"\\\n");
        return tree;
    }

    @Test
    void bytesAreTheTreesTextInUtf8EmojiIncluded() {
        ObjectNode tree = tree("caf\u00e9 \uD83D\uDE00 \u4e2d\u6587 \u0001");

        assertThat(JsonTrees.bytes(tree)).isEqualTo(tree.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(new String(JsonTrees.bytes(tree), StandardCharsets.UTF_8)).contains("\uD83D\uDE00").doesNotContain("\\uD83D");
    }

    @Test
    void aLoneSurrogateIsWrittenEscapedAndReadsBackTheSame() throws Exception {
        ObjectNode tree = tree("lone \uD800 here");

        String written = new String(JsonTrees.bytes(tree), StandardCharsets.UTF_8);

        assertThat(written).contains("lone \\uD800 here");
        assertThat(JSON.readTree(written)).isEqualTo(tree);
    }

    @Test
    void writeAppendsWhatBytesGives() {
        ObjectNode tree = tree("\uD83D\uDE00");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));

        JsonTrees.write(tree, out);
        JsonTrees.write(tree, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("data: " + tree + tree);
    }
}
