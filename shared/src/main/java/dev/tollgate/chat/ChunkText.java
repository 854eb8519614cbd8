package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An upstream chunk's own text with only its {@code model} replaced, so the relay can send what the upstream wrote
 * instead of writing the parsed tree out again (once per event otherwise).
 *
 * <p>The tree, parsed by Jackson, stays the authority: what was counted and charged is read from it. This only finds
 * where its top-level {@code "model"} string lies in the text, and gives up (null: the tree is written instead)
 * whenever a client could read anything from the text other than the tree with the model replaced:
 * <ul>
 *   <li>a line break, which would end the SSE frame;</li>
 *   <li>a key written twice in one object, at any depth (Jackson keeps the last, a client may keep the first: a
 *       delta's {@code content} that was not counted), seen as more keys in the text than fields in the tree;</li>
 *   <li>a {@code model} written with escapes;</li>
 *   <li>anything after the object, or outside strings a character plain JSON does not have (comments, quotes).</li>
 * </ul>
 */
final class ChunkText {

    private static final int MAX_DEPTH = 63;

    private ChunkText() {
    }

    /**
     * @param text     the upstream's chunk, which Jackson parsed to {@code tree}
     * @param tree     the parsed chunk, unchanged but for its {@code model}
     * @param model    the {@code model} string the upstream sent, as parsed (null when it sent none or not a string)
     * @param replaced the public model as a JSON string literal, quotes included
     */
    static String withModel(String text, JsonNode tree, String model, String replaced) {
        if (model == null) {
            return null;
        }
        int n = text.length();
        int i = skipSpace(text, 0);
        if (i >= n || text.charAt(i) != '{') {
            return null;
        }
        int depth = 0;
        long objects = 0; // bit d: the container at depth d is an object
        boolean expectKey = false;
        boolean afterModelKey = false;
        int keys = 0;
        int valueStart = -1;
        int valueEnd = -1;
        int end = -1;
        while (i < n && end < 0) {
            char c = text.charAt(i);
            if (c == '"') {
                int close = stringEnd(text, i);
                if (close < 0) {
                    return null;
                }
                if (expectKey) {
                    keys++; // a second model, escaped or not, is a key twice: refused by the count below
                    afterModelKey = depth == 1 && close - i - 1 == 5 && text.startsWith("model", i + 1);
                    expectKey = false;
                } else if (depth == 1 && afterModelKey) {
                    // The tree's model is a string, so this is its value. Written as the tree holds it, it has no
                    // escapes (every escape is longer than what it stands for).
                    if (close - i - 1 != model.length() || !text.startsWith(model, i + 1)) {
                        return null;
                    }
                    valueStart = i;
                    valueEnd = close + 1;
                    afterModelKey = false;
                }
                i = close + 1;
                continue;
            }
            switch (c) {
                case '{', '[' -> {
                    if (depth == MAX_DEPTH) {
                        return null; // deeper than the bits that track it
                    }
                    depth++;
                    objects = c == '{' ? objects | (1L << depth) : objects & ~(1L << depth);
                    expectKey = c == '{';
                }
                case '}', ']' -> {
                    depth--;
                    if (depth == 0) {
                        end = i;
                    }
                }
                case ',' -> expectKey = (objects & (1L << depth)) != 0;
                case ':', ' ', '\t' -> {
                }
                case '\n', '\r', '/', '#', '\'' -> {
                    return null;
                }
                default -> {
                }
            }
            i++;
        }
        if (end < 0 || skipSpace(text, end + 1) != n || valueStart < 0 || keys != fields(tree)) {
            return null;
        }
        return text.substring(0, valueStart) + replaced + text.substring(valueEnd);
    }

    /** Fields in all the tree's objects: fewer than the text's keys when a key was written twice in one object. */
    private static int fields(JsonNode node) {
        int count = node.isObject() ? node.size() : 0;
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                count += fields(child);
            }
        }
        return count;
    }

    /** The index of the quote that closes the string opened at {@code open}, or -1. */
    private static int stringEnd(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            } else if (c == '\n' || c == '\r') {
                return -1;
            }
        }
        return -1;
    }

    private static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
