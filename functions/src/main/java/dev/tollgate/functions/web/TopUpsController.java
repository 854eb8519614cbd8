package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.BillingSchemas;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.topups.TopUpService;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/billing/topups} (the account's latest top-ups, newest first) and
 * {@code GET /v1/billing/topups/{id}}, for management keys: whether a checkout was paid, with its Stripe ids.
 */
@Controller("/v1/billing/topups")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = ApiDocument.BILLING)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
@ApiErrors.ManagementKey
public class TopUpsController {

    private final TopUpService topUps;
    private final ObjectMapper json;

    public TopUpsController(TopUpService topUps, ObjectMapper json) {
        this.topUps = topUps;
        this.json = json;
    }

    @Get
    @Operation(operationId = "listTopUps", summary = "The account's latest top-ups, newest first (management key)")
    @ApiResponse(responseCode = "200", description = "The top-ups",
            content = @Content(schema = @Schema(implementation = BillingSchemas.TopUpList.class)))
    public HttpResponse<byte[]> list(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode response = json.createObjectNode();
        response.put("object", "list");
        ArrayNode data = response.putArray("data");
        topUps.list(caller).forEach(t -> data.add(TopUpJson.of(json, t)));
        return Json.status(200, response.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Get("/{id}")
    @Operation(operationId = "retrieveTopUp", summary = "One top-up: whether it was paid (management key)")
    @ApiResponse(responseCode = "200", description = "The top-up",
            content = @Content(schema = @Schema(implementation = BillingSchemas.TopUp.class)))
    @ApiErrors.NotFound
    public HttpResponse<byte[]> get(@PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return Json.status(200, TopUpJson.of(json, topUps.get(caller, id)).toString().getBytes(StandardCharsets.UTF_8));
    }
}
