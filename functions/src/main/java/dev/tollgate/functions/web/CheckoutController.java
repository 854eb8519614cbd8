package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.BillingSchemas;
import dev.tollgate.functions.web.openapi.ErrorBody;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.functions.web.console.ConsoleSite;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpService;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /v1/billing/checkout} with a management key and {@code {"amount_usd": "10.00"}}: stores a
 * pending top-up, creates its Stripe Checkout Session and answers 201 with the URL to pay at. The balance
 * is credited when Stripe's webhook reports the payment ({@link StripeWebhookController}). Unless return URLs are
 * configured, Checkout sends the customer back to the console's billing page on this deployment, which shows the
 * top-up's status.
 */
@Controller("/v1/billing")
@Tag(name = ApiDocument.BILLING)
@SecurityRequirement(name = ApiDocument.API_KEY)
public class CheckoutController {

    private static final String EXAMPLE = "{\"amount_usd\": \"10.00\"}";

    private final TopUpService topUps;
    private final ObjectMapper json;
    private final ConsoleSite site;

    public CheckoutController(TopUpService topUps, ObjectMapper json, ConsoleSite site) {
        this.topUps = topUps;
        this.json = json;
        this.site = site;
    }

    @Post("/checkout")
    @Consumes(MediaType.ALL)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "createCheckout", summary = "Start a top-up: a Stripe Checkout session to pay (management key)",
            description = "The balance is credited when Stripe reports the payment (POST /webhooks/stripe), with the "
                    + "amount stored with the order.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BillingSchemas.CheckoutRequest.class)))
    @ApiResponse(responseCode = "201", description = "The pending top-up, with the checkout_url to pay at",
            content = @Content(schema = @Schema(implementation = BillingSchemas.TopUp.class)))
    @ApiErrors.BadRequest
    @ApiErrors.KeyRequired
    @ApiErrors.ManagementKey
    @ApiResponse(responseCode = "502", description = "gateway_error: Stripe did not create the session",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "service_unavailable: top-ups are not configured here",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<byte[]> checkout(@Parameter(hidden = true) HttpRequest<?> http,
                                         @Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                         @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode request = JsonBodies.object(body, json, EXAMPLE);
        Money amount = JsonBodies.requireDollars(request, "amount_usd");
        TopUp topUp = topUps.checkout(caller, amount, site.baseUrl(http) + "/console/billing");
        return Json.status(201, TopUpJson.of(json, topUp).toString().getBytes(StandardCharsets.UTF_8));
    }
}
