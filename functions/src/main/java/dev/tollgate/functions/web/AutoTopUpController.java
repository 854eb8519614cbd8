package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.autotopup.AutoTopUpSettings;
import dev.tollgate.error.ApiException;
import dev.tollgate.functions.web.openapi.AlertSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import io.micronaut.core.annotation.Nullable;
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
import java.time.Clock;

/** {@code GET/PATCH /v1/billing/auto-topup}, for management keys: "when the balance falls below $X, add $Y". */
@Controller("/v1/billing/auto-topup")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = ApiDocument.BILLING)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
@ApiErrors.ManagementKey
public class AutoTopUpController {

    private static final String EXAMPLE = "{\"enabled\": true, \"threshold_usd\": \"5.00\", \"amount_usd\": \"20.00\", "
            + "\"daily_cap_usd\": \"100.00\"}";

    private final AutoTopUpSettings settings;
    private final ObjectMapper json;
    private final Clock clock;

    public AutoTopUpController(AutoTopUpSettings settings, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    @Get
    @Operation(operationId = "retrieveAutoTopUp", summary = "The account's auto top-up (management key)")
    @ApiResponse(responseCode = "200", description = "The settings and the last result",
            content = @Content(schema = @Schema(implementation = AlertSchemas.AutoTopUp.class)))
    public HttpResponse<byte[]> get(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return ok(AlertJson.of(json, settings.get(caller), clock.instant()));
    }

    @Patch
    @Consumes(MediaType.ALL)
    @Operation(operationId = "updateAutoTopUp", summary = "Turn auto top-up on or off, or change its amounts (management key)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AlertSchemas.AutoTopUpPatch.class)))
    @ApiResponse(responseCode = "200", description = "The changed settings",
            content = @Content(schema = @Schema(implementation = AlertSchemas.AutoTopUp.class)))
    @ApiErrors.BadRequest
    @ApiErrors.Conflict
    public HttpResponse<byte[]> update(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                       @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode request = JsonBodies.object(body, json, EXAMPLE);
        JsonBodies.optionalBoolean(request, "enabled");
        JsonNode enabled = request.get("enabled");
        AutoTopUpSettings.Patch patch = new AutoTopUpSettings.Patch(
                enabled == null || enabled.isNull() ? null : enabled.asBoolean(), dollars(request, "threshold_usd"),
                dollars(request, "amount_usd"), dollars(request, "daily_cap_usd"));
        return ok(AlertJson.of(json, settings.update(caller, patch), clock.instant()));
    }

    /** An optional dollar amount: absent or null leaves it unchanged. */
    static @Nullable Money dollars(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return JsonBodies.dollars(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "'" + field + "' " + e.getMessage());
        }
    }

    private static HttpResponse<byte[]> ok(ObjectNode node) {
        return Json.status(200, node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
