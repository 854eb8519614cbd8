package dev.tollgate.functions.web.openapi;

import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** Top-ups: CheckoutController, TopUpsController (TopUpJson) and StripeWebhookController. */
public final class BillingSchemas {

    private BillingSchemas() {
    }

    @Schema(name = "CheckoutRequest")
    public record CheckoutRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10.00", description = "USD in whole cents, a "
                    + "string or a JSON number; between tollgate.stripe.min-top-up and max-top-up ($5.00 and "
                    + "$1,000.00 by default)")
            String amountUsd) {
    }

    @Schema(name = "TopUp", description = "A top-up order. Only a paid one ever credited the account.")
    public record TopUp(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "billing.topup") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "topup_...") String topupId,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string",
                    allowableValues = {"pending", "paid", "expired", "failed", "review"},
                    description = "review: paid, but what Stripe reported does not match the order; not credited")
            String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10.000000") String amountUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "cs_test_...") String sessionId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, description = "Where the customer pays")
            String checkoutUrl,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String paymentIntentId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000") String refundedUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000") String disputedUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String expiresAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String paidAt) {
    }

    @Schema(name = "TopUpList")
    public record TopUpList(@Schema(requiredMode = RequiredMode.REQUIRED, example = "list") String object,
                            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Newest first")
                            List<TopUp> data) {
    }

    @Schema(name = "StripeEvent", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "A Stripe event exactly as Stripe sent it: the signature covers these bytes")
    public record StripeEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "evt_...") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "checkout.session.completed") String type,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "object",
                    additionalProperties = AdditionalPropertiesValue.TRUE) Map<String, Object> data) {
    }

    @Schema(name = "WebhookReceipt")
    public record WebhookReceipt(
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean received,
            @Schema(requiredMode = RequiredMode.REQUIRED) String eventId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String type,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"credited", "debited", "closed",
                    "duplicate", "ignored", "review", "recorded"}) String outcome,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String topupId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String message) {
    }
}
