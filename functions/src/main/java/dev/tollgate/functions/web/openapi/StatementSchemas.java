package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * {@code GET /v1/statement} as JSON (StatementController, StatementJson). Every {@code *_usd} (a dollar string with six
 * decimals) has a {@code *_micros} twin (integer micro-dollars); amounts are signed: what the balance moved.
 */
public final class StatementSchemas {

    /** The kinds of movement (MovementKind's wire names). */
    private static final String KINDS = "topup, request, request_reversal, refund, refund_returned, dispute, "
            + "dispute_released, admin_credit, admin_debit, debt_repayment";

    private StatementSchemas() {
    }

    @Schema(name = "Statement", description = "Every movement of the account's money in [start, end), in time order, "
            + "with the running balance and debt. The lines add up from opening_balance to closing_balance; when the "
            + "period runs to now the closing balance counts now.held (money reserved for requests still running).")
    public record Statement(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "statement") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "usd") String currency,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String start,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time",
                    description = "Excluded; an end in the future is now") String end,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean endIsNow,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String asOf,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000") String openingBalanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0") long openingBalanceMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "9.999999") String closingBalanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "9999999") long closingBalanceMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000") String openingDebtUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0") long openingDebtMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000") String closingDebtUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0") long closingDebtMicros,
            @NonNull Now now,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The period's sum per kind") List<Total> totals,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "At most 10,000 (else 400: ask for a shorter "
                    + "period)") List<Line> data) {
    }

    @Schema(name = "StatementNow", description = "The account as it is, read with the lines")
    public record Now(
            @Schema(requiredMode = RequiredMode.REQUIRED) String balanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) long balanceMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "Reserved for requests still running; charged when they settle") String heldUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) long heldMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED) String debtUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) long debtMicros) {
    }

    @Schema(name = "StatementTotal")
    public record Total(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "One of " + KINDS) String kind,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10.000000") String amountUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10000000") long amountMicros) {
    }

    @Schema(name = "StatementLine", description = "One movement; movements of nothing (free requests, holds released "
            + "in full) are left out")
    public record Line(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "topup:topup_...",
                    description = "The ledger entry's id") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "statement.line") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String time,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"topup", "request",
                "request_reversal", "refund", "refund_returned", "dispute", "dispute_released", "admin_credit",
                "admin_debit", "debt_repayment"}) String kind,
            @Schema(requiredMode = RequiredMode.REQUIRED) String description,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10.000000",
                    description = "What the balance moved") String amountUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10000000") long amountMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The balance after this line") String balanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) long balanceMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Above zero: debt taken (what the balance could "
                    + "not cover); below zero: debt repaid") String debtChangeUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) long debtChangeMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The debt after this line") String debtUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) long debtMicros,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String requestId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String keyId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "cs_...", description = "An "
                    + "operator's reference, the Checkout Session of a top-up, the Stripe charge of a refund, the "
                    + "dispute id") String reference,
            @NonNull Stripe stripe) {
    }

    /** Nullable here, not on the property: a property-level @Schema makes the processor drop this schema's name. */
    @Schema(name = "StatementStripe", nullable = true, description = "The Stripe objects of a top-up, refund or "
            + "dispute; null on other lines")
    public record Stripe(
            @Schema(nullable = true, example = "evt_...") String eventId,
            @Schema(nullable = true, example = "cs_...") String checkoutSessionId,
            @Schema(nullable = true, example = "pi_...") String paymentIntentId) {
    }
}
