package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.functions.web.console.ConsoleSite;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpService;
import io.micronaut.core.annotation.Nullable;
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
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /v1/billing/checkout} with a management key and {@code {"amount_usd": "10.00"}}: stores a
 * pending top-up, creates its Stripe Checkout Session and answers 201 with the URL to pay at. The balance
 * is credited when Stripe's webhook reports the payment ({@link StripeWebhookController}). Unless return URLs are
 * configured, Checkout sends the customer back to the console's billing page on this deployment, which shows the
 * top-up's status.
 */
@Controller("/v1/billing")
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
    public HttpResponse<byte[]> checkout(HttpRequest<?> http, @Nullable @Body byte[] body,
                                         @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode request = JsonBodies.object(body, json, EXAMPLE);
        Money amount = JsonBodies.requireDollars(request, "amount_usd");
        TopUp topUp = topUps.checkout(caller, amount, site.baseUrl(http) + "/console/billing");
        return Json.status(201, TopUpJson.of(json, topUp).toString().getBytes(StandardCharsets.UTF_8));
    }
}
