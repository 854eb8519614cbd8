package dev.tollgate.catalog;

import java.util.Set;

/**
 * What an auto-routing rule of the catalog can test a request for. The catalog names these in {@code when} and
 * orders them; what each one means is code ({@code dev.tollgate.routing.Matchers}), so that a catalog cannot
 * ask for a test nobody wrote. Each kind accepts only the parameters listed here (whole numbers or true/false).
 */
public enum MatchKind {
    /** A message has an image part. */
    IMAGE_PARTS("image_parts", Set.of(), Set.of()),
    /** The request offers tools (or legacy functions). */
    TOOLS("tools", Set.of(), Set.of()),
    /** {@code response_format} asks for a JSON schema. */
    JSON_SCHEMA("json_schema", Set.of(), Set.of()),
    /** {@code reasoning_effort}, {@code reasoning}, {@code thinking} or another switch that turns thinking on. */
    REASONING_OPTIONS("reasoning_options", Set.of(), Set.of()),
    /**
     * Code-heavy content: at least {@code min_code_percent} of the conversation's text is code, or (with
     * {@code intent}) the last user message asks for code to be written or fixed.
     */
    CODE("code", Set.of("min_code_percent"), Set.of("intent")),
    /** At least {@code min_steps} numbered steps (or "step by step") in a prompt of {@code min_prompt_tokens} or more. */
    MULTI_STEP("multi_step", Set.of("min_steps", "min_prompt_tokens"), Set.of()),
    /** Every request: the last rule, so that something is always chosen. */
    ALWAYS("always", Set.of(), Set.of());

    private final String wireName;
    private final Set<String> numbers;
    private final Set<String> flags;

    MatchKind(String wireName, Set<String> numbers, Set<String> flags) {
        this.wireName = wireName;
        this.numbers = numbers;
        this.flags = flags;
    }

    /** The name the catalog uses in {@code when}. */
    public String wireName() {
        return wireName;
    }

    /** The whole-number parameters this kind takes. */
    public Set<String> numberParams() {
        return numbers;
    }

    /** The true/false parameters this kind takes. */
    public Set<String> flagParams() {
        return flags;
    }

    /** The kind the catalog calls {@code name}. */
    public static MatchKind parse(String name) {
        for (MatchKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        StringBuilder known = new StringBuilder();
        for (MatchKind kind : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(kind.wireName);
        }
        throw new IllegalArgumentException("'" + name + "' is not a matcher; use one of " + known);
    }
}
