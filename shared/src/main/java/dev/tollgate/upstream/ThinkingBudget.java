package dev.tollgate.upstream;

import java.util.Optional;

/**
 * {@code reasoning_effort} as a thinking budget. Anthropic (and Claude on Bedrock) requires {@code budget_tokens >= 1024} and below
 * {@code max_tokens}; the budget is cut to half the request's output bound (the other half is left for
 * the answer), so the hold, sized on that bound, covers the thinking too; a bound too small for the minimum budget
 * means no thinking rather than a 400.
 * The budgets are those the inbound Messages translation reads back as the same effort.
 */
public final class ThinkingBudget {

    public static final int MINIMUM = 1024;

    private ThinkingBudget() {
    }

    public static Optional<Integer> budget(String effort, int maxTokens) {
        if (effort == null) {
            return Optional.empty();
        }
        int wanted = switch (effort) {
            case "low" -> 2048;
            case "medium" -> 8192;
            case "high" -> 16384;
            default -> 0; // none, minimal
        };
        int budget = Math.min(wanted, maxTokens / 2);
        return wanted == 0 || budget < MINIMUM ? Optional.empty() : Optional.of(budget);
    }
}
