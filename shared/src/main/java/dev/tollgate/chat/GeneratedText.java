package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a chat message or stream delta carries text the model generated, so counting, billing and the output bound
 * all see the same text: {@code content} (a string, or the {@code text} of its parts), {@code reasoning_content}
 * (or, when a server sends only that, {@code reasoning}: some send both with the same text), {@code refusal}, and
 * the names and arguments of {@code tool_calls} and the legacy {@code function_call}.
 */
final class GeneratedText {

    /** Visits one text field: the object holding it and the field's name. */
    @FunctionalInterface
    interface Field {
        void visit(ObjectNode owner, String field);
    }

    private GeneratedText() {
    }

    static void visit(JsonNode messageOrDelta, Field field) {
        if (!(messageOrDelta instanceof ObjectNode message)) {
            return;
        }
        JsonNode content = message.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                if (part instanceof ObjectNode p && p.path("text").isTextual()) {
                    field.visit(p, "text");
                }
            }
        } else {
            textual(message, "content", field);
        }
        if (message.path("reasoning_content").isTextual()) {
            field.visit(message, "reasoning_content");
        } else {
            textual(message, "reasoning", field);
        }
        textual(message, "refusal", field);
        for (JsonNode call : message.path("tool_calls")) {
            function(call.get("function"), field);
        }
        function(message.get("function_call"), field);
    }

    private static void function(JsonNode function, Field field) {
        if (function instanceof ObjectNode f) {
            textual(f, "name", field);
            textual(f, "arguments", field);
        }
    }

    private static void textual(ObjectNode owner, String name, Field field) {
        if (owner.path(name).isTextual()) {
            field.visit(owner, name);
        }
    }
}
