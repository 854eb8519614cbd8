package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import java.util.Iterator;
import java.util.List;

/**
 * What the caller allows one request to spend: a cost ceiling ({@code max_cost_usd} in the body or the
 * {@code x-tollgate-max-cost-usd} header; the lower wins when both are sent) and the afford mode ({@code "tollgate":
 * {"afford": "clamp"}} or {@code x-tollgate-afford: clamp}), which lowers the output bound to what the money left
 * can pay for instead of refusing. Neither field reaches an upstream ({@link #BODY_FIELDS}).
 *
 * @param maxCost the most the request may be charged, or {@code null} for no ceiling
 * @param param   where the ceiling came from (the body field or the header), for the 400 that names it
 * @param clamp   whether to lower the output bound to what can be afforded rather than refuse
 */
public record SpendControls(Money maxCost, String param, boolean clamp) {

    public static final SpendControls NONE = new SpendControls(null, null, false);
    public static final String MAX_COST_FIELD = "max_cost_usd";
    public static final String TOLLGATE_FIELD = "tollgate";
    public static final String MAX_COST_HEADER = "x-tollgate-max-cost-usd";
    public static final String AFFORD_HEADER = "x-tollgate-afford";
    /** The output bound afford mode sent upstream, on the response, when it lowered it. */
    public static final String CLAMPED_HEADER = "x-tollgate-max-tokens-clamped";
    /** Tollgate's own request fields: removed from every body before it goes upstream. */
    public static final List<String> BODY_FIELDS = List.of(MAX_COST_FIELD, TOLLGATE_FIELD);

    /** The controls sent as headers: raw values, {@code null} when absent. */
    public record Headers(String maxCost, String afford) {
        public static final Headers NONE = new Headers(null, null);
    }

    /** The request's controls from its body fields and its headers; a bad value is a 400 naming the field. */
    public static SpendControls of(JsonNode body, Headers headers) {
        Headers sent = headers == null ? Headers.NONE : headers;
        Money fromBody = ceiling(body == null ? null : body.get(MAX_COST_FIELD), MAX_COST_FIELD);
        Money fromHeader = sent.maxCost() == null ? null
                : ceiling(com.fasterxml.jackson.databind.node.TextNode.valueOf(sent.maxCost().strip()), MAX_COST_HEADER);
        boolean clamp = afford(body == null ? null : body.get(TOLLGATE_FIELD)) | affordHeader(sent.afford());
        if (fromBody == null && fromHeader == null) {
            return clamp ? new SpendControls(null, null, true) : NONE;
        }
        boolean header = fromBody == null || (fromHeader != null && fromHeader.lessThan(fromBody));
        return new SpendControls(header ? fromHeader : fromBody, header ? MAX_COST_HEADER : MAX_COST_FIELD, clamp);
    }

    /** Copies the controls' body fields from a request in another wire format to the internal request. */
    public static void carry(JsonNode from, ObjectNode to) {
        for (String field : BODY_FIELDS) {
            if (from.has(field)) {
                to.set(field, from.get(field));
            }
        }
    }

    /** The 400 for a request whose worst case is over the ceiling. */
    public ApiException exceeded(Money worstCase, String what) {
        return ApiException.invalid(param, "This request may cost up to " + worstCase.display() + " (" + what
                + "), more than its cost ceiling " + param + " of " + maxCost.display() + ". Lower max_tokens, send a "
                + "shorter prompt, choose a cheaper model, raise the ceiling, or let Tollgate lower the output bound to "
                + "fit it with the header " + AFFORD_HEADER + ": clamp.");
    }

    private static Money ceiling(JsonNode value, String param) {
        if (value == null || value.isNull()) {
            return null;
        }
        String shape = "'" + param + "' must be a positive number of dollars with at most 6 decimals, e.g. 0.05.";
        if (!value.isNumber() && !value.isTextual()) {
            throw ApiException.invalid(param, shape);
        }
        Money amount;
        try {
            amount = JsonBodies.dollars(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ApiException.invalid(param, shape);
        }
        if (!amount.isPositive()) {
            throw ApiException.invalid(param, shape);
        }
        return amount;
    }

    private static boolean afford(JsonNode tollgate) {
        if (tollgate == null || tollgate.isNull()) {
            return false;
        }
        if (!tollgate.isObject()) {
            throw ApiException.invalid(TOLLGATE_FIELD, "'tollgate' must be an object such as {\"afford\": \"clamp\"}.");
        }
        for (Iterator<String> names = tollgate.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("afford")) {
                throw ApiException.invalid(TOLLGATE_FIELD + "." + name, "'tollgate." + name + "' is not supported: "
                        + "'tollgate' takes 'afford' only. Remove it.");
            }
        }
        JsonNode afford = tollgate.get("afford");
        if (afford == null || afford.isNull()) {
            return false;
        }
        if (!afford.isTextual() || !(afford.asText().equals("clamp") || afford.asText().equals("refuse"))) {
            throw ApiException.invalid("tollgate.afford", "'tollgate.afford' must be \"clamp\" (lower the output "
                    + "bound to what can be afforded) or \"refuse\" (the default).");
        }
        return afford.asText().equals("clamp");
    }

    private static boolean affordHeader(String value) {
        if (value == null) {
            return false;
        }
        String mode = value.strip();
        if (!mode.equalsIgnoreCase("clamp") && !mode.equalsIgnoreCase("refuse")) {
            throw ApiException.invalid(AFFORD_HEADER, "The header " + AFFORD_HEADER + " must be \"clamp\" (lower the "
                    + "output bound to what can be afforded) or \"refuse\" (the default).");
        }
        return mode.equalsIgnoreCase("clamp");
    }
}
