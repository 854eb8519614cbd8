package dev.tollgate.chat;

import java.util.Set;

/**
 * The bounds one chat request runs under on one model: what the hold pays for, what the upstream is told, and
 * what the relay enforces.
 *
 * @param promptTokens        the prompt as estimated by the tokenizer, media parts at the model's bound
 * @param maxOutputPerChoice  the clamped output bound sent upstream in {@code max_tokens} and
 *                            {@code max_completion_tokens}
 * @param choices             how many completions the upstream generates ({@code n} or {@code best_of})
 * @param droppedFields       body fields removed before the request goes upstream (the catalog's field policy)
 */
public record ChatLimits(int promptTokens, int maxOutputPerChoice, int choices, Set<String> droppedFields) {

    public ChatLimits {
        droppedFields = Set.copyOf(droppedFields);
    }

    /** The most completion tokens the request may produce in all, and so the most it is charged for. */
    public long outputBound() {
        return (long) maxOutputPerChoice * choices;
    }
}
