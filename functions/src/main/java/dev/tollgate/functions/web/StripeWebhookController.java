package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.stripe.StripeWebhookVerifier;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.BillingSchemas;
import dev.tollgate.functions.web.openapi.ErrorBody;
import dev.tollgate.topups.PaymentEvent;
import dev.tollgate.topups.TopUpWebhooks;
import dev.tollgate.topups.WebhookOutcome;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /webhooks/stripe}: Stripe's events, authenticated by their {@code Stripe-Signature} (no API
 * key). 200 once an event is applied, was applied before, or needs nothing, and for a signed event that
 * cannot be read (ignored and logged once: Stripe would only resend the same bytes); 400 for a bad signature
 * (nothing changes); 503 when the event cannot be applied yet, which makes Stripe deliver it again later.
 */
@Controller("/webhooks/stripe")
@Tag(name = ApiDocument.BILLING)
public class StripeWebhookController {

    private final StripeWebhookVerifier verifier;
    private final TopUpWebhooks webhooks;
    private final ObjectMapper json;

    public StripeWebhookController(StripeWebhookVerifier verifier, TopUpWebhooks webhooks, ObjectMapper json) {
        this.verifier = verifier;
        this.webhooks = webhooks;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.ALL)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "receiveStripeEvent", summary = "Stripe's webhook (signed by Stripe, no API key)",
            description = "Credits a paid top-up with the amount stored with its order, exactly once however often "
                    + "Stripe delivers the event; refunds and disputes debit. docs/STRIPE.md lists the events.")
    @Parameter(name = "Stripe-Signature", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"),
            description = "Stripe's signature of the exact body bytes")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BillingSchemas.StripeEvent.class)))
    @ApiResponse(responseCode = "200", description = "Applied, applied before, nothing to do, or a signed event that "
            + "cannot be read (ignored)",
            content = @Content(schema = @Schema(implementation = BillingSchemas.WebhookReceipt.class)))
    @ApiResponse(responseCode = "400", description = "invalid_request_error: missing, wrong or stale signature; "
            + "nothing changed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "service_unavailable: cannot be applied yet (Stripe delivers it "
            + "again later), or webhooks are not configured here",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<byte[]> receive(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                        @Parameter(hidden = true) @Nullable @Header("Stripe-Signature") String signature) {
        PaymentEvent event = verifier.verify(body, signature);
        WebhookOutcome outcome = webhooks.handle(event);
        if (outcome.retryLater()) {
            return Json.error(new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Event " + event.eventId() + ": "
                    + outcome.message()));
        }
        ObjectNode response = json.createObjectNode();
        response.put("received", true);
        response.put("event_id", event.eventId());
        response.put("type", event.type());
        response.put("outcome", outcome.result().wire());
        response.put("topup_id", outcome.topupId());
        response.put("message", outcome.message());
        return Json.status(200, response.toString().getBytes(StandardCharsets.UTF_8));
    }
}
