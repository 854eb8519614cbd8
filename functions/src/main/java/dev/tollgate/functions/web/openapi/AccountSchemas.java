package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/usage} (UsageController) and the key management API (KeysController, KeyJson, KeyRequests).
 * Dollars are decimal strings with six decimals in answers; requests take a string or a JSON number, read exactly.
 */
public final class AccountSchemas {

    private AccountSchemas() {
    }

    @Schema(name = "UsageReport", description = "The account's balance and debt, the calling key's budget, and the "
            + "account's usage in the period, by day and by model")
    public record UsageReport(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "usage") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "4.999999") String balanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000", description = "Owed after a refund or "
                    + "dispute took back more than the balance held; above zero, requests get 403 until it is paid")
            String debtUsd,
            @NonNull KeySpend key,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, description = "As in GET /v1/key")
            String plan,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "As in GET /v1/key")
            List<WindowSchemas.WindowUse> windows,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "As in GET /v1/key")
            Map<String, WindowSchemas.Credits> credits,
            @NonNull Period period,
            @NonNull Totals totals,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Each with a date (YYYY-MM-DD, UTC)")
            List<Totals> byDay,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Each with a model id") List<Totals> byModel) {
    }

    @Schema(name = "UsageKeySpend")
    public record KeySpend(@Schema(requiredMode = RequiredMode.REQUIRED) String id,
                           @Schema(requiredMode = RequiredMode.REQUIRED) String name,
                           @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String budgetUsd,
                           @Schema(requiredMode = RequiredMode.REQUIRED) String spentUsd,
                           @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String remainingUsd) {
    }

    @Schema(name = "UsagePeriod", description = "Both days included")
    public record Period(@Schema(requiredMode = RequiredMode.REQUIRED, format = "date") String start,
                         @Schema(requiredMode = RequiredMode.REQUIRED, format = "date") String end) {
    }

    @Schema(name = "UsageTotals")
    public record Totals(
            @Schema(description = "By-day entries only", format = "date") String date,
            @Schema(description = "By-model entries only") String model,
            @Schema(requiredMode = RequiredMode.REQUIRED) long requests,
            @Schema(requiredMode = RequiredMode.REQUIRED) long promptTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long completionTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED) long totalTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000001") String costUsd) {
    }

    @Schema(name = "KeySettings", description = "Unknown fields are refused (400), so that a misspelt limit is not "
            + "silently ignored. On PATCH every field is optional, at least one is needed, and null clears a limit.")
    public record KeySettings(
            @Schema(example = "ci", maxLength = 100, description = "Required on creation; printable characters only")
            String name,
            @Schema(type = "string", allowableValues = {"inference", "management"}, defaultValue = "inference",
                    description = "Creation only: a key's role cannot be changed")
            String role,
            @Schema(nullable = true, example = "5.00", description = "Spend limit in USD, 0 to 1000000; null: none")
            String budgetUsd,
            @Schema(nullable = true, example = "[\"gemma3:1b\"]", description = "At most 100; [] or null: all models")
            List<String> allowedModels,
            @Schema(nullable = true, format = "date-time", example = "2027-01-01T00:00:00Z") String expiresAt,
            @Schema(nullable = true, minimum = "1", maximum = "1000000", example = "60",
                    description = "Requests per minute on the model endpoints; null: no limit") Integer rpmLimit,
            @Schema(nullable = true, minimum = "1", maximum = "1000000000", example = "100000",
                    description = "Tokens per minute (prompt plus output bound, held until settled); null: no limit")
            Integer tpmLimit,
            @Schema(nullable = true, description = "The key's own spend windows, at most one per window, replaced whole; "
                    + "[] or null: none") List<WindowSchemas.Limit> limits,
            @Schema(description = "A disabled key is refused until enabled again") Boolean disabled) {
    }

    @Schema(name = "ApiKey", description = "A key as the management API shows it: never the secret, never its hash")
    public record Key(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "key_...") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "api_key") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "sk-tg-28RQ_O",
                    description = "The secret's public start, to tell keys apart") String prefix,
            @Schema(requiredMode = RequiredMode.REQUIRED) String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"inference", "management"})
            String role,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string",
                    allowableValues = {"active", "disabled", "expired", "revoked"})
            String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String budgetUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) String spentUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String remainingUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Empty: all models") List<String> allowedModels,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String expiresAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) Integer rpmLimit,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) Integer tpmLimit,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The key's own spend windows")
            List<WindowSchemas.Limit> limits,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean disabled,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String revokedAt) {
    }

    @Schema(name = "CreatedApiKey", allOf = Key.class,
            description = "The new key, with its secret: shown in this response only")
    public record CreatedKey(@Schema(requiredMode = RequiredMode.REQUIRED, example = "sk-tg-...") String key) {
    }

    @Schema(name = "ApiKeyList")
    public record KeyList(@Schema(requiredMode = RequiredMode.REQUIRED, example = "list") String object,
                          @Schema(requiredMode = RequiredMode.REQUIRED, description = "Revoked keys included")
                          List<Key> data) {
    }
}
