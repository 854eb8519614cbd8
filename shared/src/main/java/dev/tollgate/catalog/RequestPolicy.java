package dev.tollgate.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a model accepts beyond messages, so that nothing in a request can make the upstream do more work than
 * the hold paid for (DESIGN.md: "media and provider-specific knobs are governed by the catalog").
 *
 * @param maxChoices  the largest {@code n} (or {@code best_of}) the model's upstream honours; the output bound
 *                    of the hold is multiplied by it. 1 refuses {@code n > 1} with a 400.
 * @param fields      what happens to provider-specific body fields: passed on, dropped, or refused with a 400
 * @param remoteMedia whether media parts may be URLs the upstream fetches itself ({@code data:} URLs always may)
 * @param mediaTokens the most tokens one part of each media kind ({@code image}, {@code audio}, {@code video})
 *                    can cost; the hold counts every part at this bound. A kind that is absent is refused.
 * @param dailyTokenQuota the most tokens (prompt plus completion) one account may use of this model per UTC day,
 *                    0 for no quota; meant for free models, which no balance limits (a soft limit: see
 *                    {@code dev.tollgate.billing.FreeQuota})
 * @param reasoning   how {@code reasoning_effort} reaches an OpenAI-compatible server of this model family
 *                    ({@link #REASONING_FAMILIES}; {@code openai}, the default, sends it as it is)
 * @param reasoningNeedsStream whether the model's server thinks only in streamed requests (it refuses a buffered
 *                    request with thinking on, as Qwen3's open models do on Alibaba Cloud's DashScope): Tollgate
 *                    turns the family's switch off on buffered requests instead of letting them fail upstream
 */
public record RequestPolicy(int maxChoices, Map<String, FieldAction> fields, boolean remoteMedia,
                            Map<String, Integer> mediaTokens, long dailyTokenQuota, String reasoning,
                            boolean reasoningNeedsStream) {

    /** Families whose servers read another reasoning switch than {@code reasoning_effort}. */
    public static final Set<String> REASONING_FAMILIES = Set.of("openai", "ollama", "qwen", "deepseek");

    /** What Tollgate does with a provider-specific field of a request. */
    public enum FieldAction {
        /** Sent upstream as the caller wrote it. */
        PASS,
        /** Removed before the request goes upstream. */
        DROP,
        /** The request is refused with a 400 naming the field. */
        REFUSE;

        static FieldAction parse(String text) {
            return switch (text) {
                case "pass" -> PASS;
                case "drop" -> DROP;
                case "refuse" -> REFUSE;
                default -> throw new IllegalArgumentException("a field policy is pass, drop or refuse, not '" + text + "'");
            };
        }
    }

    static final Set<String> MEDIA_KINDS = Set.of("image", "audio", "video");

    /**
     * The policy every model starts from (documented in the README). Length knobs that servers read instead of
     * {@code max_tokens} (llama.cpp's {@code n_predict}, Ollama's {@code num_predict}, TGI's {@code max_new_tokens})
     * are dropped: the clamped bound goes in {@code max_tokens} and {@code max_completion_tokens}. A whole custom
     * {@code chat_template} and {@code mm_processor_kwargs} (which can raise image resolution past the catalog's
     * media bound) are refused. {@code chat_template_kwargs} passes: it is how vLLM callers switch Qwen3's thinking
     * on and off, the output stays bounded, and prompt usage beyond the hold is owed as debt.
     */
    public static final RequestPolicy DEFAULT = new RequestPolicy(1, defaultFields(), false, Map.of(), 0);

    /** A policy without a daily token quota. */
    public RequestPolicy(int maxChoices, Map<String, FieldAction> fields, boolean remoteMedia,
                         Map<String, Integer> mediaTokens) {
        this(maxChoices, fields, remoteMedia, mediaTokens, 0);
    }

    /** A policy of a model whose server reads {@code reasoning_effort} itself. */
    public RequestPolicy(int maxChoices, Map<String, FieldAction> fields, boolean remoteMedia,
                         Map<String, Integer> mediaTokens, long dailyTokenQuota) {
        this(maxChoices, fields, remoteMedia, mediaTokens, dailyTokenQuota, "openai", false);
    }

    public RequestPolicy {
        if (maxChoices < 1) {
            throw new IllegalArgumentException("max_choices must be at least 1");
        }
        if (dailyTokenQuota < 0) {
            throw new IllegalArgumentException("daily_token_quota must be 0 (none) or more, not " + dailyTokenQuota);
        }
        reasoning = reasoning == null ? "openai" : reasoning;
        if (!REASONING_FAMILIES.contains(reasoning)) {
            throw new IllegalArgumentException("reasoning must be one of openai, ollama, qwen, deepseek, not '" + reasoning + "'");
        }
        if (reasoningNeedsStream && "openai".equals(reasoning)) {
            throw new IllegalArgumentException("reasoning_needs_stream needs a reasoning family with an off switch "
                    + "(ollama, qwen, deepseek)");
        }
        fields = Map.copyOf(fields);
        mediaTokens = Map.copyOf(mediaTokens);
        mediaTokens.forEach((kind, tokens) -> {
            if (!MEDIA_KINDS.contains(kind) || tokens == null || tokens < 1) {
                throw new IllegalArgumentException("media_tokens takes image, audio or video with a positive bound, not "
                        + kind + "=" + tokens);
            }
        });
    }

    /** The action for a top-level request field; {@code null} when the policy says nothing about it. */
    public FieldAction action(String field) {
        return fields.get(field);
    }

    /** The hold's bound for one part of this media kind, or 0 when the model does not take it. */
    public int tokensPer(String mediaKind) {
        return mediaTokens.getOrDefault(mediaKind, 0);
    }

    /** Whether one account's tokens of this model per UTC day are limited. */
    public boolean hasDailyTokenQuota() {
        return dailyTokenQuota > 0;
    }

    /** This policy with {@code overrides} (field by field) and the other settings given. */
    RequestPolicy with(int choices, Map<String, FieldAction> overrides, boolean remote, Map<String, Integer> media,
                       long quota, String reasoningFamily, boolean needsStream) {
        Map<String, FieldAction> merged = new LinkedHashMap<>(fields);
        merged.putAll(overrides);
        return new RequestPolicy(choices, merged, remote, media, quota, reasoningFamily, needsStream);
    }

    private static Map<String, FieldAction> defaultFields() {
        Map<String, FieldAction> fields = new LinkedHashMap<>();
        for (String lengthKnob : new String[] {"n_predict", "num_predict", "max_new_tokens", "min_tokens"}) {
            fields.put(lengthKnob, FieldAction.DROP);
        }
        fields.put("chat_template", FieldAction.REFUSE);
        fields.put("mm_processor_kwargs", FieldAction.REFUSE);
        return fields;
    }
}
