package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tollgate's compact tokenizer against jtokkit 1.1.0, the implementation it replaced, as the oracle: the same token
 * counts and the same truncated prefixes for a fixture corpus (prose in many scripts, code, JSON, special-token text,
 * emoji, whitespace runs, CRLF), for thousands of random strings drawn from those character classes (lone
 * surrogates included), and for long pieces without a break, which merge through the heap. Whatever jtokkit
 * counted, the hold and the stream's output bound still count.
 */
class BytePairEncodingTest {

    private static final EncodingRegistry JTOKKIT = Encodings.newLazyEncodingRegistry();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

    /** Characters random strings are made of: each class the patterns treat apart, and what merges across them. */
    private static final String[] CLASSES = {
        "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  \t", "\n", "\r\n", "\r",
        "'sSlLtTdDmMvVrReE", ".,;:!?-_/\\()[]{}<>\"'`~@#$%^&*+=|", "äöüßéèêàçñÅØÆœ", "中文日本語かなカナ한국어",
        "абвгдеёжзАБВГД", "αβγδεΩΣ", "مرحباעברית", "हिन्दीภาษาไทย", "\u0301\u0308\u0327", "ǅǈǋ", "٣٤٥①Ⅻ½",
        "\u00a0\u2003\u3000", "😀👍🏽🇩🇪❤️", "\ud800", "\udc00", "<|endoftext|>", "<|im_start|>",
    };

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static Encoding oracle(String name) {
        return JTOKKIT.getEncoding(EncodingType.fromName(name).orElseThrow());
    }

    /** jtokkit's prefix the way TokenCounter used it: its tokens decoded, or all of the text when not truncated. */
    private static BytePairEncoding.Prefix oraclePrefix(Encoding encoding, String text, int maxTokens) {
        EncodingResult result = encoding.encodeOrdinary(text, maxTokens);
        return result.isTruncated()
                ? new BytePairEncoding.Prefix(encoding.decode(result.getTokens()), true)
                : new BytePairEncoding.Prefix(text, false);
    }

    private static BytePairEncoding.Prefix ours(BytePairEncoding encoding, String text, int maxTokens) {
        BytePairEncoding.Prefix prefix = encoding.prefix(text, maxTokens);
        return prefix.truncated() ? prefix : new BytePairEncoding.Prefix(text, false);
    }

    private static String corpus() throws IOException {
        try (InputStream in = BytePairEncodingTest.class.getResourceAsStream("/tokenizer/corpus.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String random(Random random, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            String pool = CLASSES[random.nextInt(CLASSES.length)];
            int run = 1 + random.nextInt(random.nextInt(10) == 0 ? 40 : 6);
            for (int i = 0; i < run; i++) {
                int at = random.nextInt(pool.length());
                char c = pool.charAt(at);
                // Keep a surrogate pair whole unless the class is a lone surrogate on purpose.
                if (Character.isHighSurrogate(c) && at + 1 < pool.length() && Character.isLowSurrogate(pool.charAt(at + 1))) {
                    text.append(c).append(pool.charAt(at + 1));
                } else if (Character.isLowSurrogate(c) && pool.length() > 1) {
                    text.append(pool.charAt(at - 1)).append(c);
                } else {
                    text.append(c);
                }
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void theCorpusCountsAndTruncatesAsJtokkitDid(String name) throws IOException {
        BytePairEncoding ours = BytePairEncoding.named(name);
        Encoding oracle = oracle(name);
        String corpus = corpus();
        assertThat(ours.count(corpus)).isEqualTo(oracle.countTokensOrdinary(corpus)).isGreaterThan(500);
        for (String line : corpus.split("\n")) {
            assertThat(ours.count(line)).as(line).isEqualTo(oracle.countTokensOrdinary(line));
            int tokens = oracle.countTokensOrdinary(line);
            for (int max = 1; max <= tokens + 1; max++) {
                assertThat(ours(ours, line, max)).as("%s at %d tokens", line, max).isEqualTo(oraclePrefix(oracle, line, max));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void randomStringsCountAndTruncateAsJtokkitDid(String name) throws Exception {
        BytePairEncoding ours = BytePairEncoding.named(name);
        Encoding oracle = oracle(name);
        List<Future<Integer>> checks = new ArrayList<>();
        for (int seed = 0; seed < 4; seed++) {
            Random random = new Random(20261206L * 31 + seed + name.hashCode());
            checks.add(POOL.submit(() -> {
                int compared = 0;
                for (int i = 0; i < 1_000; i++) {
                    String text = random(random, random.nextInt(i % 50 == 0 ? 600 : 80));
                    if (name.equals("cl100k_base")) {
                        // jtokkit's hand-written cl100k splitter asserts well-formed UTF-16 (o200k's regex does not):
                        // lone surrogates are compared under o200k only; both encode one as '?'.
                        text = wellFormed(text);
                    }
                    int expected = oracle.countTokensOrdinary(text);
                    assertThat(ours.count(text)).as("%s", escaped(text)).isEqualTo(expected);
                    int max = 1 + random.nextInt(expected + 2);
                    assertThat(ours(ours, text, max)).as("%s at %d tokens", escaped(text), max)
                            .isEqualTo(oraclePrefix(oracle, text, max));
                    compared++;
                }
                return compared;
            }));
        }
        int compared = 0;
        for (Future<Integer> check : checks) {
            compared += check.get(); // several threads on one shared encoding, as requests use it
        }
        assertThat(compared).isEqualTo(4_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {BytePairEncoding.LONG_PIECE - 1, BytePairEncoding.LONG_PIECE, 1_000, 20_000})
    void longPiecesMergeAsJtokkitDid(int length) {
        Random random = new Random(length);
        for (String name : List.of("o200k_base", "cl100k_base")) {
            BytePairEncoding ours = BytePairEncoding.named(name);
            Encoding oracle = oracle(name);
            for (String letters : List.of("abcdefghijklmnopqrstuvwxyz", "aab", "ä中z", "!?.-_")) {
                StringBuilder piece = new StringBuilder();
                while (piece.length() < length) {
                    piece.append(letters.charAt(random.nextInt(letters.length())));
                }
                String text = piece.toString();
                assertThat(ours.count(text)).as("%s, %d of %s", name, length, letters).isEqualTo(oracle.countTokensOrdinary(text));
                int max = Math.max(1, oracle.countTokensOrdinary(text) / 2);
                assertThat(ours(ours, text, max)).isEqualTo(oraclePrefix(oracle, text, max));
            }
        }
    }

    @Test
    void aMegabyteWithoutABreakIsCountedInOnePass() {
        BytePairEncoding ours = BytePairEncoding.named("o200k_base");
        String text = "ab".repeat(500_000);
        // One piece of a million bytes: a rescan per merge would be some 10^11 steps; the heap merge ends in
        // about a second here, jtokkit included.
        int whole = ours.count(text);
        assertThat(whole).isPositive().isLessThan(text.length() / 2);
        assertThat(whole).isEqualTo(oracle("o200k_base").countTokensOrdinary(text));
    }

    @Test
    void theTablesAreSmallAndEveryTokenIsFoundByItsBytes() {
        BytePairEncoding ours = BytePairEncoding.named("o200k_base");
        assertThat(ours.tableBytes()).isLessThan(6 * 1024 * 1024);
        Encoding oracle = oracle("o200k_base");
        for (int rank : new int[] {0, 1, 255, 24912, 2375, 100_000, 199_997}) {
            IntArrayList one = new IntArrayList();
            one.add(rank);
            byte[] token = oracle.decodeBytes(one);
            assertThat(ours.rank(token, 0, token.length)).isEqualTo(rank);
        }
    }

    @Test
    void aVocabularyOutOfOrderOrMalformedIsRefused() {
        Pattern any = Pattern.compile("\\S+|\\s+");
        assertThatThrownBy(() -> BytePairEncoding.read("bad", any, stream("YQ== 0\nYg== 2\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> BytePairEncoding.read("bad", any, stream("YQ==\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> BytePairEncoding.named("p50k_base"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p50k_base");
    }

    @Test
    void aSmallVocabularyMergesTheLowestPairFirst() throws IOException {
        // a=0 b=1 c=2 "bc"=3 "ab"=4 "abc"=5: "abc" is one token because the whole piece is one; in "abcc" the pair
        // "bc" (3) outranks "ab" (4), then "a" + "bc" makes "abc" (5), and "abc" + "c" is no token.
        BytePairEncoding tiny = BytePairEncoding.read("tiny", Pattern.compile("\\S+"),
                stream("YQ== 0\nYg== 1\nYw== 2\nYmM= 3\nYWI= 4\nYWJj 5\n"));
        assertThat(tiny.count("abc")).isEqualTo(1);
        assertThat(tiny.count("abcc")).isEqualTo(2);        // abc + c
        assertThat(tiny.count("cab")).isEqualTo(2);         // c + ab
        assertThat(tiny.count("bcab")).isEqualTo(2);        // bc + ab: equal footing, "bc" (3) first, then "ab"
        assertThat(tiny.decode(new int[] {4, 2}, 2)).isEqualTo("abc");
        assertThat(tiny.prefix("abcc", 1)).isEqualTo(new BytePairEncoding.Prefix("abc", true));
        assertThat(tiny.prefix("abcc", 2)).isEqualTo(new BytePairEncoding.Prefix("abcc", false));
    }

    private static String wellFormed(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return out.toString();
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.append(cp < 0x7F && cp >= 0x20 ? Character.toString(cp) : String.format("\\u{%x}", cp)));
        return out.toString();
    }
}
