package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The output bound of one stream, enforced as its chunks pass: every generated text field of a delta is counted
 * with the model's tokenizer, and the delta that reaches the bound is cut to it. An upstream that ignores
 * {@code max_tokens} therefore delivers no more than the hold paid for.
 */
final class OutputBudget {

    private final long bound;
    private final StreamRelay.Metering meter;
    private long used;
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
}
