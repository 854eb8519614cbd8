package dev.tollgate.functions.web.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The key form as the JSON body {@code POST /v1/keys} and {@code PATCH /v1/keys/{id}} take, so the console's keys
 * go through exactly the API's validation ({@code KeyRequests}). Blank fields mean "none": no budget, every model,
 * no expiry, no RPM limit.
 */
final class KeyForm {

    private KeyForm() {
    }

    static ObjectNode forCreate(Form form) {
        ObjectNode body = settings(form);
        body.put("role", form.get("role") == null ? "inference" : form.get("role"));
        return body;
    }

    static ObjectNode forUpdate(Form form) {
        return settings(form);
    }

    private static ObjectNode settings(Form form) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (form.get("name") != null) {
            body.put("name", form.get("name"));
        } else {
            body.putNull("name");
        }
        if (form.get("budget_usd") == null) {
            body.putNull("budget_usd");
        } else {
            body.put("budget_usd", form.get("budget_usd"));
        }
        body.putArray("allowed_models").addAll(form.all("allowed_models").stream()
                .map(JsonNodeFactory.instance::textNode).toList());
        String expires = form.get("expires_on");
        if (expires == null) {
            body.putNull("expires_at");
        } else {
            try {
                // A date picked in the form: the key works through that whole day (UTC).
                body.put("expires_at", LocalDate.parse(expires).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("expires_at", "The expiry must be a date like 2026-12-31.");
            }
        }
        String rpm = form.get("rpm_limit");
        if (rpm == null) {
            body.putNull("rpm_limit");
        } else {
            try {
                body.put("rpm_limit", Integer.parseInt(rpm));
            } catch (NumberFormatException e) {
                throw ApiException.invalid("rpm_limit", "The RPM limit must be a whole number of requests per minute, or empty.");
            }
        }
        return body;
    }
}
