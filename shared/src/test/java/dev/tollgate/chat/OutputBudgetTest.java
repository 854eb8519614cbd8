package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OutputBudget} counts a text only once the bound comes within reach of its bytes. Its cuts and
 * {@code reached()} must be exactly those of counting every text as it comes (the reference below, what the budget
 * did before), on texts of every width of UTF-8, emoji and lone surrogates included.
 */
class OutputBudgetTest {

    private static final TokenCounter TOKENS = new TokenCounter();
    private static final String[] PIECES = {"a", "the", " word", " tok", "\n", "  ", "42", "1234567", "é", "über",
        "中文", "日本語のテキスト", "😀", "👍🏽", "\ud83d", "\ude00", "!?", "{\"x\":1}", "ٱلْعَرَبِيَّة", " ",
        "<|endoftext|>", "x".repeat(300), " ".repeat(130), "😀".repeat(70)};
    /** The tokenizers the catalog names (a lone surrogate is one byte in the first, three in the second). */
    private static final String[] ENCODINGS = {"o200k_base", "cl100k_base"};

    private final AtomicInteger counted = new AtomicInteger();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void cutsAndReachesTheBoundExactlyAsCountingEveryTextWould(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            String encoding = ENCODINGS[round % ENCODINGS.length];
            long bound = 1 + random.nextInt(random.nextBoolean() ? 12 : random.nextBoolean() ? 80 : 600);
            OutputBudget lazy = new OutputBudget(bound, meter(encoding));
            Eager eager = new Eager(bound, encoding);
            int deltas = 1 + random.nextInt(30);
            for (int i = 0; i < deltas; i++) {
                ObjectNode delta = delta(random);
                ObjectNode copy = delta.deepCopy();

                boolean lazyReached = lazy.take(delta);
                boolean eagerReached = eager.take(copy);

                assertThat(delta).as("seed %d round %d delta %d, bound %d", seed, round, i, bound).isEqualTo(copy);
                assertThat(lazyReached).isEqualTo(eagerReached);
                assertThat(lazy.cuts()).isEqualTo(eager.cuts);
            }
        }
    }

    @Test
    void aStreamFarFromItsBoundIsNotTokenizedAsItPasses() {
        OutputBudget budget = new OutputBudget(4_096, meter(ENCODINGS[0]));
        for (int i = 0; i < 22; i++) {
            assertThat(budget.take(content(" tok"))).isFalse();
        }

        assertThat(counted).hasValue(0);
        assertThat(budget.cuts()).isZero();
    }

    @Test
    void anUpstreamIgnoringTheBoundIsCutWhereCountingSaysSo() {
        OutputBudget budget = new OutputBudget(10, meter(ENCODINGS[0]));
        List<String> relayed = new ArrayList<>();
        boolean reached = false;
        for (int i = 0; i < 40 && !reached; i++) {
            ObjectNode delta = content(" tok");
            reached = budget.take(delta);
            relayed.add(delta.get("content").asText());
        }

        assertThat(reached).isTrue();
        assertThat(TOKENS.count(ENCODINGS[0], String.join("", relayed))).isEqualTo(10);
        assertThat(counted.get()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void aTokenIsNeverShorterThanAByteSoBytesBoundTheCount(String encoding) {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            String text = text(random);
            assertThat((long) TOKENS.count(encoding, text)).as(text).isLessThanOrEqualTo(OutputBudget.utf8Bytes(text));
        }
    }

    @Test
    void utf8BytesIsTheEncodedLengthAndALoneSurrogateItsReplacementsLength() {
        for (String text : new String[] {"", "abc", "é", "中", "😀", "a😀b", "👍🏽x"}) {
            assertThat(OutputBudget.utf8Bytes(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(OutputBudget.utf8Bytes("\ud83d")).isEqualTo(3);
        assertThat(OutputBudget.utf8Bytes("\ude00x")).isEqualTo(4);
    }

    private static ObjectNode delta(Random random) {
        ObjectNode delta = JsonNodeFactory.instance.objectNode();
        switch (random.nextInt(4)) {
            case 0 -> delta.put("content", text(random));
            case 1 -> delta.put("content", text(random)).put("reasoning_content", text(random));
            case 2 -> delta.putArray("tool_calls").addObject().putObject("function")
                    .put("name", text(random)).put("arguments", text(random));
            default -> delta.put("content", random.nextInt(5) == 0 ? "" : text(random));
        }
        return delta;
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(random.nextInt(10) == 0 ? 60 : 6);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static ObjectNode content(String text) {
        return JsonNodeFactory.instance.objectNode().put("content", text);
    }

    private StreamRelay.Metering meter(String encoding) {
        return new StreamRelay.Metering() {
            @Override
            public int count(String text) {
                counted.incrementAndGet();
                return TOKENS.count(encoding, text);
            }

            @Override
            public String truncate(String text, int maxTokens) {
                return TOKENS.truncate(encoding, text, maxTokens);
            }

            @Override
            public Settlement settle(TokenUsage usage, StreamEnd end) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void recordProgress(TokenUsage soFar) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** The budget as it was: every text counted as it comes. */
    private static final class Eager {
        private final long bound;
        private final String encoding;
        private long used;
        private int cuts;

        Eager(long bound, String encoding) {
            this.bound = bound;
            this.encoding = encoding;
        }

        boolean take(JsonNode delta) {
            GeneratedText.visit(delta, this::fit);
            return used >= bound;
        }

        private void fit(ObjectNode node, String field) {
            String text = node.get(field).asText();
            if (text.isEmpty()) {
                return;
            }
            int tokens = TOKENS.count(encoding, text);
            if (used + tokens <= bound) {
                used += tokens;
                return;
            }
            int left = (int) Math.max(0, bound - used);
            node.put(field, left == 0 ? "" : TOKENS.truncate(encoding, text, left));
            used = bound;
            cuts++;
        }
    }
}
