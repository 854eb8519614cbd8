package dev.tollgate.functions.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.json.JsonBuffers;

/**
 * The shape every Stripe (v1) event has, checked on the verified payload before stripe-java reads it:
 * stripe-java assumes it (an event without {@code api_version}, {@code type} or {@code data} ends in a
 * NullPointerException inside the library), and what it cannot read is no payment to act on.
 *
 * <p>{@code {"id": "evt_...", "object": "event", "type": "...", "api_version": "...",
 * "data": {"object": {"id": "...", "object": "...", ...}}}}
 */
record StripeEnvelope(String eventId, String type, String problem) {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    /** The event's id and type as far as they can be read, and what is wrong with it, or a null problem. */
    static StripeEnvelope check(String payload) {
        if (payload == null || payload.isBlank()) {
            return new StripeEnvelope(null, null, "the body is empty");
        }
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return new StripeEnvelope(null, null, "the body is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (event == null || !event.isObject()) {
            return new StripeEnvelope(null, null, "the body is not a JSON object");
        }
        String id = text(event, "id");
        String type = text(event, "type");
        return new StripeEnvelope(id, type, problem(event, id, type));
    }

    boolean readable() {
        return problem == null;
    }

    private static String problem(JsonNode event, String id, String type) {
        if (id == null) {
            return "'id' is missing or not a string";
        }
        if (type == null) {
            return "'type' is missing or not a string";
        }
        if (event.has("object") && !"event".equals(text(event, "object"))) {
            return "'object' is " + event.get("object") + ", not \"event\" (only v1 events are handled)";
        }
        if (text(event, "api_version") == null) {
            return "'api_version' is missing or not a string";
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            return "'data' is missing or not an object";
        }
        JsonNode object = data.get("object");
        if (object == null || !object.isObject()) {
            return "'data.object' is missing or not an object";
        }
        if (text(object, "object") == null) {
            return "'data.object.object' (the object's type) is missing or not a string";
        }
        if (object.has("id") && text(object, "id") == null) {
            return "'data.object.id' is not a string";
        }
        return null;
    }

    /** A non-blank string field, or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
