package dev.tollgate.functions.web.openapi;

import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** The operator API: AdminAccountsController, AdminAccountController, AdminCreditsController, AdminStatsController. */
public final class AdminSchemas {

    private AdminSchemas() {
    }

    @Schema(name = "AccountOpening")
    public record Opening(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Acme", maxLength = 200) String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "5.00", description = "Opening balance in USD")
            String creditUsd,
            @Schema(nullable = true, example = "crm-1042", description = "Opens at most one account per reference")
            String reference) {
    }

    @Schema(name = "OpenedAccount")
    public record Opened(
            @Schema(requiredMode = RequiredMode.REQUIRED) String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String reference,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "sk-tg-...",
                    description = "The account's first key, a management key: in the 201 answer only, null on a "
                            + "duplicate")
            String apiKey,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String keyId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "management") String keyRole,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "5.000000") String balanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean duplicate) {
    }

    @Schema(name = "Account")
    public record Account(
            @Schema(requiredMode = RequiredMode.REQUIRED) String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "5.000000") String balanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "5000000") long balanceMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String createdAt) {
    }

    @Schema(name = "CreditRequest")
    public record CreditRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2.50", description = "USD; negative debits")
            String amountUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "ticket-42",
                    description = "Applies the change at most once") String reference,
            @Schema(nullable = true, example = "goodwill") String note) {
    }

    @Schema(name = "Credit")
    public record Credit(
            @Schema(requiredMode = RequiredMode.REQUIRED) String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String entryId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String reference,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The ledger entry's type") String type,
            @Schema(requiredMode = RequiredMode.REQUIRED) String requestedUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "What the balance changed by") String amountUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The part of a debit the balance could not "
                    + "cover, added to the debt") String shortfallUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) String balanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) String debtUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String at,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String note,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean duplicate) {
    }

    @Schema(name = "InstanceStats")
    public record Stats(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "{\"GetItem\": 12, \"UpdateItem\": 3}",
                    description = "DynamoDB requests by operation since this instance started")
            Map<String, Long> dynamodbRequests) {
    }
}
