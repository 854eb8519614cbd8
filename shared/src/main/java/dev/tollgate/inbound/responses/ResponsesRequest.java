package dev.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed Responses request.
 *
 * @param internal           the internal chat request without messages (they depend on the stored history)
 * @param instructions       the system message of this request only: OpenAI does not carry instructions over
 *                           from a previous response, or {@code null}
 * @param input              this request's input as chat messages
 * @param store              whether the response is kept for {@code previous_response_id} and GET (default true)
 * @param previousResponseId the response this one continues, or {@code null}
 * @param echo               the request fields a response object repeats (instructions, tools, text, ...)
 */
public record ResponsesRequest(ObjectNode internal, String instructions, ArrayNode input, boolean store,
                               String previousResponseId, ObjectNode echo) {

    /** The internal request: instructions, then the stored conversation, then this input. */
    public ObjectNode internalWith(ArrayNode history) {
        ObjectNode request = internal.deepCopy();
        ArrayNode messages = request.putArray("messages");
        if (instructions != null) {
            messages.addObject().put("role", "system").put("content", instructions);
        }
        if (history != null) {
            messages.addAll(history);
        }
        messages.addAll(input);
        return request;
    }

    /** The conversation to store after this turn: the history, this input, then the answer's messages. */
    public ArrayNode conversation(ArrayNode history, ArrayNode answer) {
        ArrayNode all = input.arrayNode();
        if (history != null) {
            all.addAll(history);
        }
        all.addAll(input);
        all.addAll(answer);
        return all;
    }
}
