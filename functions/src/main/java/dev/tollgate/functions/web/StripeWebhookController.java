package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.stripe.StripeWebhookVerifier;
import dev.tollgate.topups.PaymentEvent;
import dev.tollgate.topups.TopUpWebhooks;
import dev.tollgate.topups.WebhookOutcome;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /webhooks/stripe}: Stripe's events, authenticated by their {@code Stripe-Signature} (no API
 * key). 200 once an event is applied, was applied before, or needs nothing, and for a signed event that
 * cannot be read (ignored and logged once: Stripe would only resend the same bytes); 400 for a bad signature
 * (nothing changes); 503 when the event cannot be applied yet, which makes Stripe deliver it again later.
 */
@Controller("/webhooks/stripe")
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
    public HttpResponse<byte[]> receive(@Nullable @Body byte[] body, @Nullable @Header("Stripe-Signature") String signature) {
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
