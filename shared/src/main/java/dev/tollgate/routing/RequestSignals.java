package dev.tollgate.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.openai.MediaParts;

/**
 * What auto routing's matchers look at in a chat request, read once.
 *
 * @param imageParts       image parts in the messages
 * @param tools            the request offers tools (or legacy functions)
 * @param jsonSchema       {@code response_format} is {@code json_schema}
 * @param reasoningOptions a field turns thinking on ({@link ReasoningOptions})
 * @param codePercent      how much of the conversation's text is code, 0 to 100 ({@link CodeDetector})
 * @param codeIntent       the last user message asks for code to be written or fixed
 * @param steps            numbered steps in the last user message ({@link StepCounter})
 * @param stepByStep       the last user message asks to be worked through step by step
 * @param promptTokens     the prompt's text in tokens (o200k), media parts not counted
 */
public record RequestSignals(int imageParts, boolean tools, boolean jsonSchema, boolean reasoningOptions,
                             int codePercent, boolean codeIntent, int steps, boolean stepByStep,
                             int promptTokens) {

    /** The encoding the signals count in: a signal need not be exact per model, only the same for every request. */
    static final String ENCODING = "o200k_base";

    public static RequestSignals of(ChatRequest request, TokenCounter tokens) {
        JsonNode messages = request.messages();
        StringBuilder conversation = new StringBuilder();
        String lastUser = "";
        int images = 0;
        for (JsonNode message : messages) {
            String role = message.path("role").asText("");
            images += images(message.get("content"));
            if (role.equals("user") || role.equals("assistant")) {
                String text = text(message.get("content"));
                conversation.append(text).append('\n');
                if (role.equals("user")) {
                    lastUser = text;
                }
            }
        }
        String all = conversation.toString();
        return new RequestSignals(images, offersTools(request), jsonSchema(request), ReasoningOptions.on(request),
                CodeDetector.codePercent(all), CodeDetector.asksForCode(lastUser), StepCounter.steps(lastUser),
                StepCounter.stepByStep(lastUser),
                tokens.countPrompt(ENCODING, messages, request.tools(), part -> 0));
    }

    private static boolean offersTools(ChatRequest request) {
        return nonEmpty(request.tools()) || nonEmpty(request.field("functions"));
    }

    private static boolean nonEmpty(JsonNode node) {
        return node != null && node.isArray() && !node.isEmpty();
    }

    private static boolean jsonSchema(ChatRequest request) {
        JsonNode format = request.field("response_format");
        return format != null && "json_schema".equals(format.path("type").asText(""));
    }

    private static int images(JsonNode content) {
        int count = 0;
        if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                if ("image".equals(MediaParts.kind(part.path("type").asText("")))) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The text of a message's content: a string, or its text parts joined by newlines. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    text.append(part.get("text").asText()).append('\n');
                }
            }
        }
        return text.toString();
    }
}
