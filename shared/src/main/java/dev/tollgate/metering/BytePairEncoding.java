package dev.tollgate.metering;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tiktoken byte-pair encoding ({@code o200k_base}, {@code cl100k_base}) over compact tables: every token's bytes
 * in one array, in rank order, and an open-addressing index of ints. jtokkit, whose vocabulary files this reads,
 * keeps a vocabulary as two hash maps of boxed keys and values, some 28 MB of heap for {@code o200k_base}, the
 * largest part of the gateway's live set; these tables take under 5 MB (docs/PERFORMANCE.md, "Memory").
 *
 * <p>Encoding is tiktoken's: the text is split into pieces by the encoding's pattern, a piece that is a token is one
 * token, any other piece is merged pair by pair, the lowest-ranked adjacent pair first (the leftmost of equals).
 * Long pieces merge through a heap instead of rescanning ({@code n log n}, not {@code n²}), and a piece of more than
 * {@value #SLICE} characters in slices of that many, so that a 16 MB body without a space neither takes minutes nor
 * hundreds of MB of scratch memory (jtokkit needed both). Only ordinary text is encoded: special tokens such as {@code <|endoftext|>} are counted as text.
 * Instances are immutable and safe to share between threads.
 */
final class BytePairEncoding {

    private static final int NONE = Integer.MAX_VALUE;
    /** Pieces this long or longer merge through the heap; shorter ones rescan their pairs, which is faster there. */
    static final int LONG_PIECE = 128;
    /** The most characters merged as one piece (at most 24 KiB of UTF-8); longer pieces are merged in slices. */
    static final int SLICE = 8_192;

    /** tiktoken's pattern for o200k_base (GPT-4o and later), alternatives one per line. */
    private static final String O200K = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");
    /** tiktoken's pattern for cl100k_base (GPT-4, GPT-3.5). */
    private static final String CL100K = String.join("|",
            "'(?i:[sdmt]|ll|ve|re)",
            "[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*",
            "\\s*[\\r\\n]",
            "\\s+(?!\\S)",
            "\\s+");

    private final Pattern pieces;
    /**
     * How a lone surrogate (UTF-16 that is no character) becomes bytes, as jtokkit did it for this encoding: for
     * {@code o200k_base} like {@code String.getBytes} ('?'), for {@code cl100k_base} like its hand-written splitter
     * (the surrogate's own three bytes).
     */
    private final boolean surrogateAsThreeBytes;
    /** Every token's bytes, rank after rank. */
    private final byte[] vocabulary;
    /** Where token {@code r} starts in {@link #vocabulary}; it ends where {@code r + 1} starts. */
    private final int[] starts;
    /** Open addressing over the tokens' bytes: rank + 1, or 0 for an empty slot. */
    private final int[] slots;
    private final int mask;

    private BytePairEncoding(Pattern pieces, boolean surrogateAsThreeBytes, byte[] vocabulary, int[] starts) {
        this.pieces = pieces;
        this.surrogateAsThreeBytes = surrogateAsThreeBytes;
        this.vocabulary = vocabulary;
        this.starts = starts;
        int tokens = starts.length - 1;
        this.slots = new int[Integer.highestOneBit(Math.max(2, tokens) * 2 - 1) * 2];
        this.mask = slots.length - 1;
        for (int rank = 0; rank < tokens; rank++) {
            int slot = hash(vocabulary, starts[rank], starts[rank + 1]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = rank + 1;
        }
    }

    /** The named encoding, its vocabulary read from jtokkit's resources; unknown names are refused. */
    static BytePairEncoding named(String name) {
        String pattern = switch (name) {
            case "o200k_base" -> O200K;
            case "cl100k_base" -> CL100K;
            default -> throw new IllegalArgumentException("unknown tokenizer encoding: " + name);
        };
        String resource = "/com/knuddels/jtokkit/" + name + ".tiktoken";
        try (InputStream in = BytePairEncoding.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the vocabulary " + resource + " is not on the class path");
            }
            return read(name, Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS), name.equals("cl100k_base"), in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** A vocabulary in tiktoken's format: one {@code base64-token rank} a line, ranks 0, 1, 2... in order. */
    static BytePairEncoding read(String name, Pattern pieces, boolean surrogateAsThreeBytes, InputStream tiktoken)
            throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(tiktoken, StandardCharsets.US_ASCII), 1 << 16);
        Base64.Decoder base64 = Base64.getDecoder();
        byte[] bytes = new byte[1 << 20];
        int[] starts = new int[1 << 16];
        int tokens = 0;
        int used = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            byte[] token;
            try {
                if (space <= 0 || Integer.parseInt(line, space + 1, line.length(), 10) != tokens) {
                    throw new IllegalArgumentException("not in order");
                }
                token = base64.decode(line.substring(0, space));
            } catch (IllegalArgumentException e) { // NumberFormatException too
                throw new IOException("line " + (tokens + 1) + " of " + name + " is not '<base64> " + tokens + "'", e);
            }
            if (used + token.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + token.length));
            }
            if (tokens + 2 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            System.arraycopy(token, 0, bytes, used, token.length);
            starts[tokens++] = used;
            used += token.length;
        }
        starts[tokens] = used;
        return new BytePairEncoding(pieces, surrogateAsThreeBytes, Arrays.copyOf(bytes, used), Arrays.copyOf(starts, tokens + 1));
    }

    /** The heap the tables take, for the test that keeps them small. */
    long tableBytes() {
        return vocabulary.length + 4L * starts.length + 4L * slots.length;
    }

    /** How many tokens {@code text} encodes to. */
    int count(String text) {
        Work work = new Work();
        int total = 0;
        Matcher matcher = pieces.matcher(text);
        while (matcher.find()) {
            total += work.encode(this, text, matcher.start(), matcher.end(), null, Integer.MAX_VALUE);
        }
        return total;
    }

    /**
     * The first {@code maxTokens} tokens of {@code text} (all of them when it has no more), then fewer while they
     * would end inside a character: what they decode to is always a prefix of {@code text}.
     */
    Prefix prefix(String text, int maxTokens) {
        if (maxTokens == Integer.MAX_VALUE) {
            return new Prefix(text, false);
        }
        Work work = new Work();
        Tokens tokens = new Tokens();
        Matcher matcher = pieces.matcher(text);
        while (tokens.size < maxTokens && matcher.find()) {
            work.encode(this, text, matcher.start(), matcher.end(), tokens, maxTokens);
        }
        int kept = Math.min(tokens.size, maxTokens);
        // The tokens' bytes are the text's own bytes, in order. What the first k of them decode to is a prefix of
        // the text when they end between two characters before any lone surrogate (whose bytes decode to something
        // else), or inside a U+FFFD of the text (a cut character decodes to U+FFFD too). The largest such k is what
        // jtokkit found by decoding, comparing and dropping the last token, here in one pass.
        int best = 0;
        long bytes = 0;
        long charStart = 0;
        int at = 0; // the character that starts at byte charStart
        for (int k = 0; k < kept; k++) {
            bytes += starts[tokens.ranks[k] + 1] - starts[tokens.ranks[k]];
            boolean passedLone = false;
            while (at < text.length()) {
                char c = text.charAt(at);
                boolean pair = pairAt(text, at, text.length());
                int width = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4
                        : Character.isSurrogate(c) ? (surrogateAsThreeBytes ? 3 : 1) : 3;
                if (charStart + width > bytes) {
                    break;
                }
                charStart += width;
                at += pair ? 2 : 1;
                passedLone = !pair && Character.isSurrogate(c);
                if (passedLone) {
                    break;
                }
            }
            if (passedLone) {
                break; // a lone surrogate is behind: this prefix and every longer one decode to other text
            }
            if (charStart == bytes) {
                best = at;
            } else if (text.charAt(at) == '\uFFFD') {
                best = at + 1;
            }
        }
        return new Prefix(text.substring(0, best), text.length() > best);
    }

    /** Whether {@code text[i]} and {@code text[i + 1]}, both before {@code end}, are one character (a surrogate pair). */
    private static boolean pairAt(String text, int i, int end) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1));
    }

    /**
     * @param text      a prefix of the text (or all of it) as its first {@code maxTokens} tokens decode
     * @param truncated whether the text is longer than that prefix
     */
    record Prefix(String text, boolean truncated) {
    }

    /** The token whose bytes are {@code bytes[from, to)}, or {@link #NONE}. */
    int rank(byte[] bytes, int from, int to) {
        int length = to - from;
        for (int slot = hash(bytes, from, to) & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                return NONE;
            }
            int start = starts[entry - 1];
            if (starts[entry] - start == length
                    && Arrays.equals(vocabulary, start, start + length, bytes, from, to)) {
                return entry - 1;
            }
        }
    }

    private static int hash(byte[] bytes, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ bytes[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }

    /** Ranks appended as a piece is encoded. */
    static final class Tokens {
        int[] ranks = new int[16];
        int size;

        void add(int rank) {
            if (size == ranks.length) {
                ranks = Arrays.copyOf(ranks, size * 2);
            }
            ranks[size++] = rank;
        }
    }

    /** One call's scratch arrays: a piece's UTF-8 bytes and its parts as they merge. */
    private static final class Work {
        // Sized by the first piece that needs them: a stream counts every delta, most of them a word or two.
        private byte[] bytes = new byte[0];
        private int[] starts = new int[0];
        private int[] pairs = new int[0];
        private int[] next;
        private int[] previous;
        private long[] heap;

        /**
         * Encodes the piece {@code text[from, to)}, appending its ranks to {@code out} when given, until {@code out}
         * holds {@code limit}; returns the piece's token count. A piece longer than {@value #SLICE} characters (a
         * run without a break, which only a machine writes) is merged slice by slice, so that one request's scratch
         * memory stays under a megabyte: merges across the slices' edges are lost, so its count may differ from an
         * unsliced merge's by about a token a slice.
         */
        int encode(BytePairEncoding encoding, String text, int from, int to, Tokens out, int limit) {
            int total = 0;
            while (to - from > SLICE && (out == null || out.size < limit)) {
                int end = from + SLICE;
                if (pairAt(text, end - 1, to)) {
                    end--; // a character is not cut in two
                }
                total += piece(encoding, text, from, end, out);
                from = end;
            }
            return out != null && out.size >= limit ? total : total + piece(encoding, text, from, to, out);
        }

        private int piece(BytePairEncoding encoding, String text, int from, int to, Tokens out) {
            int n = utf8(text, from, to, encoding.surrogateAsThreeBytes);
            int whole = encoding.rank(bytes, 0, n);
            if (whole != NONE) {
                if (out != null) {
                    out.add(whole);
                }
                return 1;
            }
            return n < LONG_PIECE ? mergeShort(encoding, n, out) : mergeLong(encoding, n, out);
        }

        /** tiktoken's merge: rescan for the lowest pair, merge it, rerank its two neighbours' pairs. */
        private int mergeShort(BytePairEncoding encoding, int n, Tokens out) {
            if (starts.length < n + 1) {
                starts = new int[n + 1];
            }
            if (pairs.length < n + 1) {
                pairs = new int[n + 1];
            }
            int parts = n + 1; // the last is the end of the piece
            for (int i = 0; i < n; i++) {
                starts[i] = i;
                pairs[i] = i + 2 <= n ? encoding.rank(bytes, i, i + 2) : NONE;
            }
            starts[n] = n;
            pairs[n] = NONE;
            while (true) {
                int lowest = NONE;
                int at = -1;
                for (int i = 0; i < parts - 1; i++) {
                    if (pairs[i] < lowest) {
                        lowest = pairs[i];
                        at = i;
                    }
                }
                if (at < 0) {
                    break;
                }
                // Part at + 1 joins part at: drop it, then rerank the pairs that now span the merged part.
                System.arraycopy(starts, at + 2, starts, at + 1, parts - at - 2);
                System.arraycopy(pairs, at + 2, pairs, at + 1, parts - at - 2);
                parts--;
                pairs[at] = at + 2 < parts ? encoding.rank(bytes, starts[at], starts[at + 2]) : NONE;
                if (at > 0) {
                    pairs[at - 1] = encoding.rank(bytes, starts[at - 1], starts[at + 1]);
                }
            }
            if (out != null) {
                for (int i = 0; i < parts - 1; i++) {
                    out.add(encoding.rank(bytes, starts[i], starts[i + 1]));
                }
            }
            return parts - 1;
        }

        /**
         * The same merge for long pieces: the parts as a linked list (a part is named by the byte it starts at),
         * their pairs in a heap ordered by rank, then start (the leftmost of equal ranks first, as the rescan
         * picks); a heap entry whose part has gone or whose pair has changed since is skipped.
         */
        private int mergeLong(BytePairEncoding encoding, int n, Tokens out) {
            if (next == null || next.length < n + 1) {
                next = new int[n + 1];
                previous = new int[n + 1];
                heap = new long[n + 16]; // grows when merges push more than they pop
            }
            if (pairs.length < n + 1) {
                pairs = new int[n + 1];
            }
            int heapSize = 0;
            for (int i = 0; i < n; i++) {
                next[i] = i + 1;
                previous[i] = i - 1;
                pairs[i] = i + 2 <= n ? encoding.rank(bytes, i, i + 2) : NONE;
                if (pairs[i] != NONE) {
                    heapSize = push(heapSize, pairs[i], i);
                }
            }
            int parts = n;
            while (heapSize > 0) {
                long top = heap[0];
                heapSize = pop(heapSize);
                int rank = (int) (top >>> 32);
                int at = (int) top;
                if (pairs[at] != rank) {
                    continue; // stale: the part was merged away (NONE) or its pair changed
                }
                int gone = next[at];
                next[at] = next[gone];
                if (next[gone] < n) {
                    previous[next[gone]] = at;
                }
                pairs[gone] = NONE;
                parts--;
                pairs[at] = next[at] < n ? encoding.rank(bytes, at, next[next[at]]) : NONE;
                if (pairs[at] != NONE) {
                    heapSize = push(heapSize, pairs[at], at);
                }
                int before = previous[at];
                if (before >= 0) {
                    pairs[before] = encoding.rank(bytes, before, next[at]);
                    if (pairs[before] != NONE) {
                        heapSize = push(heapSize, pairs[before], before);
                    }
                }
            }
            if (out != null) {
                for (int at = 0; at < n; at = next[at]) {
                    out.add(encoding.rank(bytes, at, next[at]));
                }
            }
            return parts;
        }

        private int push(int size, int rank, int at) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            long entry = ((long) rank << 32) | at;
            int i = size;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= entry) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = entry;
            return size + 1;
        }

        private int pop(int size) {
            long last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= last) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            if (size > 0) {
                heap[i] = last;
            }
            return size;
        }

        /**
         * {@code text[from, to)} as UTF-8 into {@link #bytes}; a lone surrogate as '?' ({@code String.getBytes}) or as
         * its own three bytes.
         */
        private int utf8(String text, int from, int to, boolean surrogateAsThreeBytes) {
            if (bytes.length < (to - from) * 3) {
                bytes = new byte[(to - from) * 3];
            }
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    bytes[n++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[n++] = (byte) (0xC0 | c >> 6);
                    bytes[n++] = (byte) (0x80 | c & 0x3F);
                } else if (pairAt(text, i, to)) {
                    int cp = Character.toCodePoint(c, text.charAt(++i));
                    bytes[n++] = (byte) (0xF0 | cp >> 18);
                    bytes[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    bytes[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    bytes[n++] = (byte) (0x80 | cp & 0x3F);
                } else if (Character.isSurrogate(c) && !surrogateAsThreeBytes) {
                    bytes[n++] = '?';
                } else {
                    bytes[n++] = (byte) (0xE0 | c >> 12);
                    bytes[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[n++] = (byte) (0x80 | c & 0x3F);
                }
            }
            return n;
        }
    }
}
