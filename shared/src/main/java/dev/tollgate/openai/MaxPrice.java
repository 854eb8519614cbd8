package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.TokenPrice;
import java.util.Iterator;

/**
 * A request's {@code max_price}: the most the caller will pay per million prompt and completion tokens, in dollars
 * (OpenRouter's shape, {@code {"prompt": 1, "completion": 2}}). Models dearer than either limit are not used.
 *
 * @param prompt     the highest input price accepted, or {@code null} for no limit
 * @param completion the highest output price accepted, or {@code null} for no limit
 */
public record MaxPrice(TokenPrice prompt, TokenPrice completion) {

    private static final String EXAMPLE = "{\"prompt\": 1, \"completion\": 2} (dollars per million tokens)";

    /** The {@code max_price} field, or {@code null} when absent; anything but the documented shape is a 400. */
    static MaxPrice parse(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject() || value.isEmpty()) {
            throw ApiException.invalid("max_price", "'max_price' must be an object such as " + EXAMPLE + ".");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("prompt") && !name.equals("completion")) {
                throw ApiException.invalid("max_price." + name, "'max_price." + name + "' is not supported: 'max_price' "
                        + "takes 'prompt' and 'completion' only (dollars per million tokens). Remove it.");
            }
        }
        return new MaxPrice(limit(value, "prompt"), limit(value, "completion"));
    }

    private static TokenPrice limit(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String param = "max_price." + field;
        if (!value.isNumber() && !value.isTextual()) {
            throw ApiException.invalid(param, "'" + param + "' must be a number of dollars per million tokens, e.g. 1.5.");
        }
        try {
            return new TokenPrice(JsonBodies.dollars(value).micros());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(param, "'" + param + "' must be a number of dollars per million tokens, 0 or more, "
                    + "with at most 6 decimals, e.g. 1.5.");
        }
    }

    /**
     * Why this limit excludes a model priced {@code pricing}, e.g. {@code "prompt $0.50/M over max_price.prompt
     * $0.30/M"}, or {@code null} when it does not.
     */
    public String excludes(ModelPricing pricing) {
        if (prompt != null && pricing.input().microsPerMillion() > prompt.microsPerMillion()) {
            return "prompt $" + pricing.input().dollarsPerMillion() + "/M over max_price.prompt $"
                    + prompt.dollarsPerMillion() + "/M";
        }
        if (completion != null && pricing.output().microsPerMillion() > completion.microsPerMillion()) {
            return "completion $" + pricing.output().dollarsPerMillion() + "/M over max_price.completion $"
                    + completion.dollarsPerMillion() + "/M";
        }
        return null;
    }
}
