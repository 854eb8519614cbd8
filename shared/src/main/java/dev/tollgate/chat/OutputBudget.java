package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * The output bound of one stream, enforced as its chunks pass: every generated text field of a delta is counted
 * with the model's tokenizer, and the delta that reaches the bound is cut to it. An upstream that ignores
 * {@code max_tokens} therefore delivers no more than the hold paid for.
 *
 * <p>Counting waits until it can matter. A token is at least one byte of UTF-8 (the tokenizers are byte-level
 * pair encodings), so texts whose bytes, with what was counted before, stay within the bound are taken uncounted
 * and counted, each on its own as before, only once the bound comes within their bytes' reach. The cuts and
 * {@link #reached()} are exactly those of counting every text as it comes ({@code OutputBudgetTest} compares the
 * two on random texts); a stream far from its bound (no {@code max_tokens}: the model's whole output) is never
 * tokenized while it passes, which was ~4 % of a stream's CPU.
 */
final class OutputBudget {

    private final long bound;
    private final StreamRelay.Metering meter;
    /** Tokens of the texts counted so far. */
    private long used;
    /**
     * Texts taken without counting them, one after the other, with where each ends, and their UTF-8 bytes: at most
     * that many tokens. One buffer, not a string per text: a stream's deltas are a few bytes each.
     */
    private final StringBuilder uncounted = new StringBuilder();
    private int[] uncountedEnds = new int[16];
    private int uncountedTexts;
    private long uncountedBytes;
    private int cuts;

    OutputBudget(long bound, StreamRelay.Metering meter) {
        this.bound = bound;
        this.meter = meter;
    }

    /** Counts a delta's (or message's) generated text, cutting it to what is left; true once the bound is reached. */
    boolean take(JsonNode delta) {
        GeneratedText.visit(delta, this::fit);
        return reached();
    }

    boolean reached() {
        if (used + uncountedBytes >= bound) {
            countTaken();
        }
        return used >= bound;
    }

    /** How many text fields were cut (or emptied) to stay within the bound so far. */
    int cuts() {
        return cuts;
    }

    private void fit(ObjectNode node, String field) {
        String text = node.get(field).asText();
        if (text.isEmpty()) {
            return;
        }
        long most = utf8Bytes(text);
        if (used + uncountedBytes + most < bound) {
            uncounted.append(text);
            if (uncountedTexts == uncountedEnds.length) {
                uncountedEnds = Arrays.copyOf(uncountedEnds, uncountedTexts * 2);
            }
            uncountedEnds[uncountedTexts++] = uncounted.length();
            uncountedBytes += most;
            return;
        }
        countTaken();
        int tokens = meter.count(text);
        if (used + tokens <= bound) {
            used += tokens;
            return;
        }
        int left = (int) Math.max(0, bound - used);
        node.put(field, left == 0 ? "" : meter.truncate(text, left));
        used = bound;
        cuts++;
    }

    private void countTaken() {
        int start = 0;
        for (int i = 0; i < uncountedTexts; i++) {
            used += meter.count(uncounted.substring(start, uncountedEnds[i]));
            start = uncountedEnds[i];
        }
        uncounted.setLength(0);
        uncountedTexts = 0;
        uncountedBytes = 0;
    }

    /** The length of {@code text} in UTF-8 (a lone surrogate counts the 3 bytes of its replacement). */
    static long utf8Bytes(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
