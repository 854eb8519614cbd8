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
import org.junit.jupiter.api.Timeout;
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

    static {
        // jtokkit's cl100k splitter asserts well-formed UTF-16; production runs without -ea, where it encodes a lone
        // surrogate as the surrogate's three bytes. The oracle is what production did.
        BytePairEncodingTest.class.getClassLoader().setClassAssertionStatus("com.knuddels.jtokkit.Cl100kParser", false);
    }

    private static final EncodingRegistry JTOKKIT = Encodings.newLazyEncodingRegistry();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

    /** Characters random strings are made of: each class the patterns treat apart, and what merges across them. */
    private static final String[] CLASSES = {
        "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  \t", "\n", "\r\n", "\r",
        "'sSlLtTdDmMvVrReE", ".,;:!?-_/\\()[]{}<>\"'`~@#$%^&*+=|", "äöüßéèêàçñÅØÆœ", "中文日本語かなカナ한국어",
        "абвгдеёжзАБВГД", "αβγδεΩΣ", "مرحباעברית", "हिन्दीภาษาไทย", "\u0301\u0308\u0327", "ǅǈǋ", "٣٤٥①Ⅻ½",
        "\u00a0\u2003\u3000", "😀👍🏽🇩🇪❤️", "\ud800", "\udc00", "<|endoftext|>", "<|im_start|>",
        "\u0085\u2028\u2029\u1680\u2000\u200a\u202f\u205f\u000b\u000c\u001c\u001f", "𝐀𠀀𝟎𝒜", "ʰ々ſ",
        "\ue000\u0378\ufffd", "\ufffd",
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
        for (Future<Integer> check : checks) {
            check.get(); // several threads on one shared encoding, as requests use it; rethrows a thread's failure
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {BytePairEncoding.LONG_PIECE - 1, BytePairEncoding.LONG_PIECE, 1_000, BytePairEncoding.SLICE})
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
    void piecesOfOneTextReuseScratchArraysWhateverTheOrderOfTheirLengths() {
        // long, short, longer-than-the-short but shorter-than-the-first, ...: each merge path after the other grew
        // or left its arrays; every order must count as jtokkit does
        Random random = new Random(7);
        for (String name : List.of("o200k_base", "cl100k_base")) {
            BytePairEncoding ours = BytePairEncoding.named(name);
            Encoding oracle = oracle(name);
            for (int round = 0; round < 200; round++) {
                StringBuilder text = new StringBuilder();
                for (int piece = 0; piece < 6; piece++) {
                    int length = new int[] {3, 70, 100, 127, 128, 300, 1_000}[random.nextInt(7)];
                    for (int i = 0; i < length; i++) {
                        text.append((char) ('a' + random.nextInt(26)));
                    }
                    text.append(' ');
                }
                String it = text.toString();
                assertThat(ours.count(it)).as(it).isEqualTo(oracle.countTokensOrdinary(it));
                int max = 1 + random.nextInt(oracle.countTokensOrdinary(it));
                assertThat(ours(ours, it, max)).isEqualTo(oraclePrefix(oracle, it, max));
            }
        }
    }

    @Test
    @Timeout(20)
    void aPieceLongerThanASliceIsMergedSliceBySliceCloseToAnUnslicedMerge() {
        BytePairEncoding ours = BytePairEncoding.named("o200k_base");
        String text = "ab".repeat(500_000); // one piece of a million bytes
        int whole = ours.count(text);
        int slices = (text.length() + BytePairEncoding.SLICE - 1) / BytePairEncoding.SLICE;
        int sum = 0;
        for (int from = 0; from < text.length(); from += BytePairEncoding.SLICE) {
            sum += ours.count(text.substring(from, Math.min(text.length(), from + BytePairEncoding.SLICE)));
        }
        assertThat(whole).isEqualTo(sum);
        // jtokkit merges it whole: the slices' edges cost at most about a token each
        assertThat(whole).isCloseTo(oracle("o200k_base").countTokensOrdinary(text), org.assertj.core.data.Offset.offset(slices));
    }

    @ParameterizedTest
    @ValueSource(strings = {"o200k_base", "cl100k_base"})
    void aSliceEdgeNeverCutsACharacterInTwo(String name) {
        // "!" then emoji (two chars each): the slice edge at 8,192 chars falls inside a pair and moves back by one
        BytePairEncoding ours = BytePairEncoding.named(name);
        String text = "!" + "😀".repeat(5_000);
        int slices = (text.length() + BytePairEncoding.SLICE - 1) / BytePairEncoding.SLICE;
        assertThat(ours.count(text)).isCloseTo(oracle(name).countTokensOrdinary(text), org.assertj.core.data.Offset.offset(slices));
        for (int max : new int[] {1, 2_000, 4_500, 10_000}) {
            BytePairEncoding.Prefix cut = ours.prefix(text, max);
            assertThat(text).startsWith(cut.text());
            assertThat(cut.text()).doesNotContain("\uFFFD");
            assertThat(cut.text().length() % 2).isOne(); // "!" and whole emoji only
            assertThat(ours.count(cut.text())).isLessThanOrEqualTo(max);
        }
    }

    @Test
    @Timeout(20)
    void sixteenMegabytesWithoutABreakAreCountedAndCutInLinearTime() {
        BytePairEncoding ours = BytePairEncoding.named("o200k_base");
        String text = "中".repeat(16 * 1024 * 1024 / 3); // the largest body a request may have, as one piece
        int count = ours.count(text);
        assertThat(count).isGreaterThan(text.length() / 8);
        BytePairEncoding.Prefix cut = ours.prefix(text, 1_000);
        assertThat(cut.truncated()).isTrue();
        assertThat(ours.count(cut.text())).isLessThanOrEqualTo(1_000).isGreaterThan(900);
        // a lone surrogate at the start: no prefix but the empty one decodes to the text, found without rescans
        assertThat(ours.prefix("\ud800" + "a ".repeat(100_000), 100_000)).isEqualTo(new BytePairEncoding.Prefix("", true));
    }

    @Test
    void theTablesAreSmallAndEveryTokenIsFoundByItsBytes() {
        BytePairEncoding ours = BytePairEncoding.named("o200k_base");
        assertThat(ours.tableBytes()).isLessThan(6 * 1024 * 1024);
        Encoding oracle = oracle("o200k_base");
        IntArrayList one = new IntArrayList();
        one.add(0);
        for (int rank = 0; rank < 199_998; rank++) {
            one.set(0, rank);
            byte[] token = oracle.decodeBytes(one);
            assertThat(ours.rank(token, 0, token.length)).isEqualTo(rank);
        }
    }

    @Test
    void aVocabularyOutOfOrderOrMalformedIsRefused() {
        Pattern any = Pattern.compile("\\S+|\\s+");
        assertThatThrownBy(() -> BytePairEncoding.read("bad", any, false, stream("YQ== 0\nYg== 2\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> BytePairEncoding.read("bad", any, false, stream("YQ==\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> BytePairEncoding.named("p50k_base"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p50k_base");
    }

    @Test
    void aSmallVocabularyMergesTheLowestPairFirst() throws IOException {
        // a=0 b=1 c=2 "bc"=3 "ab"=4: in "abc" the pair "bc" (3) outranks "ab" (4), so a + bc, not ab + c
        BytePairEncoding tiny = vocabulary("YQ== 0\nYg== 1\nYw== 2\nYmM= 3\nYWI= 4\n");
        assertThat(tiny.count("abc")).isEqualTo(2);
        assertThat(tiny.prefix("abc", 1)).isEqualTo(new BytePairEncoding.Prefix("a", true));
        assertThat(tiny.prefix("abc", 2)).isEqualTo(new BytePairEncoding.Prefix("abc", false));
        assertThat(tiny.prefix("cab", 1)).isEqualTo(new BytePairEncoding.Prefix("c", true)); // c + ab
        // equal ranks are settled leftmost first: in "aaa" both pairs are "aa", the left one merges: aa + a
        BytePairEncoding twins = vocabulary("YQ== 0\nYWE= 1\n");
        assertThat(twins.prefix("aaa", 1)).isEqualTo(new BytePairEncoding.Prefix("aa", true));
        assertThat(twins.prefix("a".repeat(BytePairEncoding.LONG_PIECE + 1), 1)).isEqualTo(new BytePairEncoding.Prefix("aa", true));
    }

    @Test
    void aCutInsideAReplacementCharacterOfTheTextKeepsIt() throws IOException {
        // Tokens x, EF, BF, BD, y (single bytes, no merges): "x\uFFFDy" is x EF BF BD y. Two tokens end inside the
        // U+FFFD, and x EF decodes to "x\uFFFD", which is a prefix of the text: jtokkit kept those two tokens, so
        // the prefix is "x\uFFFD" (TokenCounter then drops a trailing U+FFFD); a cut inside any other character is not.
        BytePairEncoding bytes = vocabulary("eA== 0\n7w== 1\nvw== 2\nvQ== 3\neQ== 4\n");
        assertThat(bytes.count("x\uFFFDy")).isEqualTo(5);
        assertThat(bytes.prefix("x\uFFFDy", 2)).isEqualTo(new BytePairEncoding.Prefix("x\uFFFD", true));
        assertThat(bytes.prefix("x\uFFFDy", 4)).isEqualTo(new BytePairEncoding.Prefix("x\uFFFD", true));
        assertThat(bytes.prefix("x\uFFFD", 3)).isEqualTo(new BytePairEncoding.Prefix("x\uFFFD", false));
    }

    /** A small vocabulary in tiktoken's format whose pieces are the text's words. */
    private static BytePairEncoding vocabulary(String tiktoken) throws IOException {
        return BytePairEncoding.read("small", Pattern.compile("\\S+"), false, stream(tiktoken));
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
