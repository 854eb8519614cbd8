package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.telemetry.AttemptSpan;
import java.util.ArrayList;
import java.util.List;

/** What an upstream's answer tells its span: read before Tollgate puts the public model id in. No content. */
final class SpanAnswers {

    private SpanAnswers() {
    }

    /** A buffered chat completion as the upstream sent it, with the usage that was billed. */
    static AttemptSpan.Answer buffered(JsonNode response, TokenUsage usage) {
        List<String> reasons = new ArrayList<>();
        for (JsonNode choice : response.path("choices")) {
            if (choice.path("finish_reason").isTextual()) {
                reasons.add(choice.path("finish_reason").asText());
            }
        }
        return new AttemptSpan.Answer(text(response, "model"), text(response, "id"), usage.promptTokens(),
                usage.completionTokens(), reasons, "ok");
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.path(field).asText() : null;
    }
}
