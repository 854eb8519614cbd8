package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.alerts.Alerts;
import dev.tollgate.error.ApiException;
import dev.tollgate.functions.web.openapi.AlertSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
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
 * {@code GET /v1/alerts} (the account's latest alerts), {@code GET/PATCH /v1/alerts/settings} (webhook URL, low-balance
 * threshold, signing secret) and {@code GET /v1/alerts/deliveries} (every webhook delivery with its attempts), for
 * management keys.
 */
@Controller("/v1/alerts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = ApiDocument.BILLING)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
@ApiErrors.ManagementKey
public class AlertsController {

    private static final String EXAMPLE = "{\"url\": \"https://example.com/tollgate-alerts\", \"low_balance_usd\": \"2.00\"}";

    private final Alerts alerts;
    private final ObjectMapper json;

    public AlertsController(Alerts alerts, ObjectMapper json) {
        this.alerts = alerts;
        this.json = json;
    }

    @Get
    @Operation(operationId = "listAlerts", summary = "The account's latest alerts, newest first (management key)")
    @ApiResponse(responseCode = "200", description = "The alerts",
            content = @Content(schema = @Schema(implementation = AlertSchemas.AlertList.class)))
    public HttpResponse<byte[]> list(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return ok(AlertJson.list(json, alerts.alerts(caller).stream().map(a -> AlertJson.of(json, a)).toList()));
    }

    @Get("/deliveries")
    @Operation(operationId = "listAlertDeliveries", summary = "Webhook deliveries of alerts with every attempt (management key)")
    @ApiResponse(responseCode = "200", description = "The deliveries, newest first",
            content = @Content(schema = @Schema(implementation = AlertSchemas.DeliveryList.class)))
    public HttpResponse<byte[]> deliveries(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return ok(AlertJson.list(json, alerts.deliveries(caller).stream().map(d -> AlertJson.of(json, d)).toList()));
    }

    @Get("/settings")
    @Operation(operationId = "retrieveAlertSettings", summary = "Where alerts go (management key)")
    @ApiResponse(responseCode = "200", description = "The settings (never the signing secret)",
            content = @Content(schema = @Schema(implementation = AlertSchemas.AlertSettings.class)))
    public HttpResponse<byte[]> settings(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return ok(AlertJson.of(json, alerts.settings(caller), false));
    }

    @Patch("/settings")
    @Consumes(MediaType.ALL)
    @Operation(operationId = "updateAlertSettings", summary = "Set the webhook URL, the low-balance threshold, or rotate "
            + "the signing secret (management key)", description = "The signing secret is in the answer only when this "
            + "change created or rotated it.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AlertSchemas.AlertSettingsPatch.class)))
    @ApiResponse(responseCode = "200", description = "The changed settings",
            content = @Content(schema = @Schema(implementation = AlertSchemas.AlertSettings.class)))
    @ApiErrors.BadRequest
    @ApiErrors.Conflict
    public HttpResponse<byte[]> update(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                       @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode request = JsonBodies.object(body, json, EXAMPLE);
        JsonNode url = request.get("url");
        if (url != null && !url.isNull() && !url.isTextual()) {
            throw ApiException.invalid("url", "'url' must be a string (\"\" stops deliveries).");
        }
        JsonBodies.optionalBoolean(request, "rotate_secret");
        Money low = null;
        if (request.has("low_balance_usd")) {
            if (request.get("low_balance_usd").isNull()) {
                low = Money.ofMicros(-1); // Alerts.update: a negative threshold removes it
            } else {
                low = AutoTopUpController.dollars(request, "low_balance_usd");
                if (low.isNegative()) {
                    throw ApiException.invalid("low_balance_usd", "'low_balance_usd' must not be negative (null removes it).");
                }
            }
        }
        Alerts.Updated updated = alerts.update(caller, url == null || url.isNull() ? null : url.asText(), low,
                request.path("rotate_secret").asBoolean(false));
        return ok(AlertJson.of(json, updated.settings(), updated.secretShown()));
    }

    private static HttpResponse<byte[]> ok(ObjectNode node) {
        return Json.status(200, node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
