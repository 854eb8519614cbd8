package dev.tollgate.routing;

import dev.tollgate.catalog.AutoRouting;

/** What each {@link dev.tollgate.catalog.MatchKind} of the catalog means. */
public final class Matchers {

    /** Defaults for parameters a rule leaves out (the default catalog states them all). */
    static final int MIN_CODE_PERCENT = 30;
    static final int MIN_STEPS = 3;

    private Matchers() {
    }

    public static boolean matches(AutoRouting.Match match, RequestSignals request) {
        return switch (match.kind()) {
            case IMAGE_PARTS -> request.imageParts() > 0;
            case TOOLS -> request.tools();
            case JSON_SCHEMA -> request.jsonSchema();
            case REASONING_OPTIONS -> request.reasoningOptions();
            case CODE -> request.codePercent() >= match.number("min_code_percent", MIN_CODE_PERCENT)
                    || (match.flag("intent", false) && request.codeIntent());
            case MULTI_STEP -> (request.steps() >= match.number("min_steps", MIN_STEPS) || request.stepByStep())
                    && request.promptTokens() >= match.number("min_prompt_tokens", 0);
            case ALWAYS -> true;
        };
    }
}
