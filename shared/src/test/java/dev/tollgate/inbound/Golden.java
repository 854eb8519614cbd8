package dev.tollgate.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.FrameSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Golden files of the inbound translators under {@code src/test/resources/golden/inbound}: one folder per case,
 * an input file and the expected output beside it. Run with {@code -Dgolden.write=true} to write a missing
 * expected file from the translator's output (then read it and check it by hand before committing: a golden file
 * written by the code under test proves nothing until someone has).
 */
public final class Golden {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean WRITE = Boolean.getBoolean("golden.write");

    private Golden() {
    }

    /** The case folders of {@code golden/inbound/<area>}, sorted. */
    public static List<Path> cases(String area) {
        try {
            Path root = Path.of(Golden.class.getResource("/golden/inbound/" + area).toURI());
            try (Stream<Path> dirs = Files.list(root)) {
                return dirs.filter(Files::isDirectory).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(Path file) {
        try {
            return JSON.readTree(bytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** Compares JSON trees (field order and spacing do not matter). */
    public static void assertJson(JsonNode actual, Path expected) {
        if (WRITE && !Files.exists(expected)) {
            write(expected, actual.toPrettyString() + "\n");
        }
        // Through text: an IntNode and a LongNode of the same number are different trees.
        assertThat(reparse(actual)).as(expected.toString()).isEqualTo(json(expected));
    }

    private static JsonNode reparse(JsonNode node) {
        try {
            return JSON.readTree(node.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares text exactly, e.g. an SSE stream. */
    public static void assertText(String actual, Path expected) {
        if (WRITE && !Files.exists(expected)) {
            write(expected, actual);
        }
        assertThat(actual).as(expected.toString()).isEqualTo(new String(bytes(expected), StandardCharsets.UTF_8));
    }

    /**
     * Plays the frames of a relay recording ({@code relay.sse}: the exact SSE frames the chat relay sends, one per
     * blank-line-separated block) into an encoder and returns what it wrote. A recording without {@code [DONE]} is
     * a client that went away: the sink is completed without it, as the relay does.
     */
    public static String encode(Path relayFrames, Function<FrameSink, FrameSink> encoder) {
        StringBuilder out = new StringBuilder();
        FrameSink sink = encoder.apply(new FrameSink() {
            @Override
            public void send(String frame) {
                out.append(frame);
            }

            @Override
            public void complete() {
                out.append("<complete>\n");
            }
        });
        for (String frame : frames(relayFrames)) {
            // As the relay sends them: chunks as trees (sendChunk), error frames, [DONE] and comments as text.
            JsonNode chunk = frame.startsWith("data: {") ? readJson(frame.substring("data: ".length()).strip()) : null;
            if (chunk != null && chunk.has("choices")) {
                sink.sendChunk((ObjectNode) chunk);
            } else {
                sink.send(frame);
            }
        }
        sink.complete();
        return out.toString();
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> frames(Path file) {
        String text = new String(bytes(file), StandardCharsets.UTF_8);
        List<String> frames = new ArrayList<>();
        for (String block : text.split("\n\n")) {
            if (!block.isBlank()) {
                frames.add(block.strip() + "\n\n");
            }
        }
        return frames;
    }

    private static void write(Path file, String content) {
        try {
            // Into the source tree, not target/test-classes, so the file can be reviewed and committed.
            Path source = Path.of(file.toString().replace("/target/test-classes/", "/src/test/resources/"));
            Files.writeString(source, content);
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
