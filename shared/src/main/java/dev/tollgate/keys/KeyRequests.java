package dev.tollgate.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON bodies of the key management API into a {@link KeyUpdate}, each mistake a 400 that
 * names the field. Unknown fields are refused, unlike on the inference endpoints: on our own API a
 * misspelt {@code "budget"} silently ignored would leave a key without the limit its owner meant to set.
 */
public final class KeyRequests {

    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_MODELS = 100;
    public static final int MAX_RPM = 1_000_000;
    /** A guard against typos such as extra zeros, like the operator's credit limit. */
    public static final Money MAX_BUDGET = Money.parseDollars("1000000");

    public static final int MAX_TPM = 1_000_000_000;

    private static final List<String> SETTINGS =
            List.of("name", "budget_usd", "allowed_models", "expires_at", "rpm_limit", "disabled", "limits", "tpm_limit");

    private KeyRequests() {
    }

    /** A key to create: its role (default {@code inference}) and its settings. */
    public record NewKey(KeyRole role, KeyUpdate settings) {
    }

    public static NewKey forCreate(ObjectNode body) {
        List<String> known = new ArrayList<>(SETTINGS);
        known.add("role");
        rejectUnknown(body, known);
        if (!body.hasNonNull("name")) {
            throw ApiException.invalid("name", "Missing required parameter: 'name', e.g. \"ci-pipeline\". "
                    + "Names tell keys apart in GET /v1/keys.");
        }
        return new NewKey(role(body.get("role")), settings(body));
    }

    public static KeyUpdate forUpdate(ObjectNode body) {
        if (body.has("role")) {
            throw ApiException.invalid("role", "A key's role cannot be changed. Create a new key with the role "
                    + "you need (POST /v1/keys) and revoke this one.");
        }
        rejectUnknown(body, SETTINGS);
        KeyUpdate update = settings(body);
        if (update.isEmpty()) {
            throw ApiException.invalid(null, "Nothing to change: send at least one of " + String.join(", ", SETTINGS) + ".");
        }
        return update;
    }

    private static KeyUpdate settings(ObjectNode body) {
        return new KeyUpdate(name(body.get("name")), budget(body.get("budget_usd")), models(body.get("allowed_models")),
                expiry(body.get("expires_at")), rpm(body.get("rpm_limit")), disabled(body.get("disabled")),
                KeyLimits.parse(body.get("limits")), tpm(body.get("tpm_limit")));
    }

    private static void rejectUnknown(ObjectNode body, List<String> known) {
        List<String> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.invalid(unknown.getFirst(), "Unrecognized parameter(s): " + String.join(", ", unknown)
                    + ". Known parameters: " + String.join(", ", known) + ".");
        }
    }

    private static KeyRole role(JsonNode value) {
        if (value == null || value.isNull()) {
            return KeyRole.INFERENCE;
        }
        if (value.isTextual() && (value.asText().equals("inference") || value.asText().equals("management"))) {
            return KeyRole.fromWire(value.asText());
        }
        throw ApiException.invalid("role", "'role' must be \"inference\" (model calls and usage) or \"management\" "
                + "(also creates, changes and revokes keys).");
    }

    private static Change<String> name(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        String name = value.isTextual() ? value.asText().strip() : "";
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("name", "'name' must be a non-empty string of at most " + MAX_NAME_LENGTH
                    + " characters without control characters.");
        }
        String forbidden = DisplayNames.forbiddenCharacter(name);
        if (forbidden != null) {
            throw ApiException.invalid("name", "'name' contains " + forbidden + ". Use printable characters only, "
                    + "e.g. \"ci-pipeline\".");
        }
        return Change.to(name);
    }

    private static Change<Money> budget(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        if (value.isNull()) {
            return Change.to(null);
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw invalidBudget();
        }
        Money budget;
        try {
            budget = JsonBodies.dollars(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalidBudget();
        }
        if (budget.isNegative() || MAX_BUDGET.lessThan(budget)) {
            throw invalidBudget();
        }
        return Change.to(budget);
    }

    private static ApiException invalidBudget() {
        return ApiException.invalid("budget_usd", "'budget_usd' must be a dollar amount between \"0.00\" and \""
                + MAX_BUDGET.toDollars() + "\" with at most 6 decimals, e.g. \"10.00\", or null for no key budget.");
    }

    private static Change<Set<String>> models(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        if (value.isNull()) {
            return Change.to(Set.of());
        }
        if (!value.isArray() || value.size() > MAX_MODELS) {
            throw ApiException.invalid("allowed_models", "'allowed_models' must be an array of at most " + MAX_MODELS
                    + " model ids, e.g. [\"gemma3:1b\"]; an empty array or null allows every model.");
        }
        Set<String> models = new LinkedHashSet<>();
        for (JsonNode model : value) {
            if (!model.isTextual() || model.asText().isBlank()) {
                throw ApiException.invalid("allowed_models", "'allowed_models' must contain only model ids (strings). "
                        + "GET /v1/models lists them.");
            }
            models.add(model.asText());
        }
        return Change.to(models);
    }

    private static Change<Instant> expiry(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        if (value.isNull()) {
            return Change.to(null);
        }
        try {
            // ISO_INSTANT accepts offsets too (2026-12-31T23:59:59+01:00) since Java 12.
            return Change.to(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("expires_at", "'expires_at' must be an ISO-8601 timestamp such as "
                    + "\"2026-12-31T23:59:59Z\", or null for a key that does not expire.");
        }
    }

    private static Change<Integer> rpm(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        if (value.isNull()) {
            return Change.to(null);
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > MAX_RPM) {
            throw ApiException.invalid("rpm_limit", "'rpm_limit' must be a whole number of requests per minute between 1 and "
                    + MAX_RPM + ", or null for no limit.");
        }
        return Change.to(value.asInt());
    }

    private static Change<Integer> tpm(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        if (value.isNull()) {
            return Change.to(null);
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > MAX_TPM) {
            throw ApiException.invalid("tpm_limit", "'tpm_limit' must be a whole number of tokens per minute between 1 and "
                    + MAX_TPM + ", or null for no limit.");
        }
        return Change.to(value.asInt());
    }

    private static Change<Boolean> disabled(JsonNode value) {
        if (value == null) {
            return Change.keep();
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("disabled", "'disabled' must be true or false.");
        }
        return Change.to(value.asBoolean());
    }
}
