package dev.tollgate.functions.web.openapi;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;

/** Auto top-up and alerts: AutoTopUpController and AlertsController (AlertJson). */
public final class AlertSchemas {

    private AlertSchemas() {
    }

    @Schema(name = "AutoTopUpSettings", description = "Fields left out are unchanged. Turning it on needs a card saved "
            + "by an earlier Checkout, and all three amounts.")
    public record AutoTopUpPatch(
            Boolean enabled,
            @Schema(example = "5.00", description = "USD, whole cents: a settlement that leaves the balance below it "
                    + "(having been at or above it) starts one top-up") String thresholdUsd,
            @Schema(example = "20.00", description = "USD, whole cents, within the Checkout limits") String amountUsd,
            @Schema(example = "100.00", description = "USD, whole cents: at most this much of auto top-ups per UTC day")
            String dailyCapUsd) {
    }

    @Schema(name = "AutoTopUp")
    public record AutoTopUp(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "billing.auto_topup") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean enabled,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "5.000000") String thresholdUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "20.000000") String amountUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "100.000000") String dailyCapUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "armed: the next crossing starts a top-up")
            boolean armed,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean paymentMethodSaved,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.000000") String todayUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, type = "string", allowableValues = {"pending",
                    "started", "succeeded", "failed", "daily_cap", "no_payment_method", "cancelled"}) String lastResult,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, description = "why it was switched off or skipped")
            String reason,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String lastTopupId) {
    }

    @Schema(name = "AlertSettingsPatch", description = "Fields left out are unchanged.")
    public record AlertSettingsPatch(
            @Schema(example = "https://example.com/tollgate-alerts", description = "https (http only on localhost, "
                    + "where tollgate.alerts.allow-http-localhost is on); \"\" stops deliveries") String url,
            @Schema(example = "2.00", nullable = true, description = "raise low_balance below this; null removes it")
            String lowBalanceUsd,
            @Schema(description = "true: a new signing secret, returned once") Boolean rotateSecret) {
    }

    @Schema(name = "AlertSettings")
    public record AlertSettings(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "alert_settings") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String url,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String lowBalanceUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean signingSecretSet,
            @Schema(description = "only in the answer that created or rotated it", example = "whsec_...") String signingSecret) {
    }

    @Schema(name = "Alert")
    public record Alert(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "alert_...") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"low_balance", "budget_80",
                    "budget_100", "window_exhausted", "topup_failed"}) String type,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String subject,
            @Schema(requiredMode = RequiredMode.REQUIRED) String message,
            @Schema(requiredMode = RequiredMode.REQUIRED) Map<String, String> data) {
    }

    @Schema(name = "AlertList")
    public record AlertList(@Schema(requiredMode = RequiredMode.REQUIRED, example = "list") String object,
                            @Schema(requiredMode = RequiredMode.REQUIRED) List<Alert> data) {
    }

    @Schema(name = "AlertDeliveryAttempt")
    public record Attempt(@Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String at,
                          @Schema(requiredMode = RequiredMode.REQUIRED, description = "0: no answer") int status,
                          @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String error) {
    }

    @Schema(name = "AlertDelivery")
    public record Delivery(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "dlv_...") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED) String alertId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String type,
            @Schema(requiredMode = RequiredMode.REQUIRED) String url,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"pending", "delivered", "failed"})
            String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String nextAttemptAt,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<Attempt> attempts) {
    }

    @Schema(name = "AlertDeliveryList")
    public record DeliveryList(@Schema(requiredMode = RequiredMode.REQUIRED, example = "list") String object,
                               @Schema(requiredMode = RequiredMode.REQUIRED) List<Delivery> data) {
    }
}
