package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.catalog.RequestPolicy;
import dev.tollgate.catalog.RequestPolicy.FieldAction;
import dev.tollgate.error.ApiException;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.openai.MediaParts;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Decides whether a chat request may run on a model, and under which {@link ChatLimits}: every part of the
 * request that makes the upstream do more work (choices, media, length and template knobs) is either counted in
 * the hold, removed, or refused with a 400 that names it. Pure: no I/O.
 */
public final class ChatAdmission {

    private final TokenCounter tokens;

    public ChatAdmission(TokenCounter tokens) {
        this.tokens = tokens;
    }

    /** The limits of {@code request} on {@code model}, or a 400 naming what the model does not accept. */
    public ChatLimits admit(ChatRequest request, ModelEntry model) {
        RequestPolicy policy = model.policy();
        Set<String> dropped = fieldPolicy(request, model);
        int choices = request.choices();
        if (choices > policy.maxChoices()) {
            String field = request.bestOf() > request.n() ? "best_of" : "n";
            throw ApiException.invalid(field, "The model '" + model.id() + "' generates at most " + policy.maxChoices()
                    + " completion" + (policy.maxChoices() == 1 ? "" : "s") + " per request; '" + field + "' asked for "
                    + choices + ". Lower it, or send several requests.");
        }
        checkMedia(request.messages(), model);
        int prompt = tokens.countPrompt(model.tokenizer(), request.messages(), request.tools(), part -> {
            String kind = MediaParts.kind(part.path("type").asText(""));
            return kind == null ? tokens.count(model.tokenizer(), part.toString()) : policy.tokensPer(kind);
        });
        return new ChatLimits(prompt, outputBound(request, model, prompt), choices, dropped);
    }

    /** Refuses fields the policy refuses; returns those it drops. */
    private static Set<String> fieldPolicy(ChatRequest request, ModelEntry model) {
        Set<String> dropped = new LinkedHashSet<>();
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            FieldAction action = model.policy().action(name);
            if (action == FieldAction.REFUSE) {
                throw ApiException.invalid(name, "'" + name + "' is not accepted for the model '" + model.id()
                        + "': it changes how the prompt is built, so Tollgate cannot bound what the request costs. "
                        + "Remove it.");
            }
            if (action == FieldAction.DROP) {
                dropped.add(name);
            }
        }
        return dropped;
    }

    private static void checkMedia(JsonNode messages, ModelEntry model) {
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).get("content");
            if (content == null || !content.isArray()) {
                continue;
            }
            for (int j = 0; j < content.size(); j++) {
                checkPart(content.get(j), model, "messages[" + i + "].content[" + j + "]");
            }
        }
    }

    private static void checkPart(JsonNode part, ModelEntry model, String param) {
        String type = part.path("type").asText("");
        String kind = MediaParts.kind(type);
        if (kind == null) {
            if (MediaParts.isFile(type)) {
                refuseRemote(MediaParts.url(part, type), "file", model, param);
            }
            return;
        }
        if (model.policy().tokensPer(kind) == 0) {
            throw ApiException.invalid(param, "The model '" + model.id() + "' does not accept " + kind + " input. "
                    + "GET /v1/models shows which models do (capability '" + (kind.equals("image") ? "vision" : kind) + "').");
        }
        refuseRemote(MediaParts.url(part, type), kind, model, param);
    }

    private static void refuseRemote(String url, String kind, ModelEntry model, String param) {
        if (url != null && !url.regionMatches(true, 0, "data:", 0, 5) && !model.policy().remoteMedia()) {
            throw ApiException.invalid(param, "The model '" + model.id() + "' takes " + kind + " parts only inline, as "
                    + "data: URLs (e.g. data:image/png;base64,...), not as links its server would fetch. "
                    + "Download the file and send it base64-encoded.");
        }
    }

    /** The caller's bound clamped to the model's cap and to what fits in the context window. */
    private static int outputBound(ChatRequest request, ModelEntry model, int promptTokens) {
        int room = model.contextLength() - promptTokens;
        if (room < 1) {
            throw ApiException.invalid("messages", "This model's maximum context length is " + model.contextLength()
                    + " tokens, but the messages are about " + promptTokens + " tokens. Shorten the messages.");
        }
        int requested = request.requestedMaxTokens();
        int cap = Math.min(model.maxOutputTokens(), room);
        return requested > 0 ? Math.min(requested, cap) : cap;
    }
}
