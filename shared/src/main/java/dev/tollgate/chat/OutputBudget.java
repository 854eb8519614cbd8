package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The output bound of one stream, enforced as its chunks pass: every generated text field of a delta is counted
 * with the model's tokenizer, and the delta that reaches the bound is cut to it. An upstream that ignores
 * {@code max_tokens} therefore delivers no more than the hold paid for.
 */
final class OutputBudget {

    private static final String[] TEXT_FIELDS = {"reasoning_content", "reasoning", "content"};

    private final long bound;
    private final StreamRelay.Metering meter;
    private long used;

    OutputBudget(long bound, StreamRelay.Metering meter) {
        this.bound = bound;
        this.meter = meter;
    }

    /** Counts a delta's generated text, cutting it to what is left; true once the bound is reached. */
    boolean take(JsonNode delta) {
        if (!(delta instanceof ObjectNode fields)) {
            return reached();
        }
        for (String field : TEXT_FIELDS) {
            fit(fields, field);
        }
        for (JsonNode call : fields.path("tool_calls")) {
            if (call.get("function") instanceof ObjectNode function) {
                fit(function, "name");
                fit(function, "arguments");
            }
        }
        return reached();
    }

    boolean reached() {
        return used >= bound;
    }

    long used() {
        return used;
    }

    private void fit(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            return;
        }
        String text = value.asText();
        int tokens = meter.count(text);
        if (used + tokens <= bound) {
            used += tokens;
            return;
        }
        int left = (int) Math.max(0, bound - used);
        node.put(field, left == 0 ? "" : meter.truncate(text, left));
        used = bound;
    }
}
