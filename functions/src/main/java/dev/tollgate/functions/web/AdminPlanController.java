package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.web.openapi.AdminPlanSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.windows.Plan;
import dev.tollgate.windows.SpendWindows;
import dev.tollgate.windows.WindowLimit;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
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
import java.util.Optional;

/**
 * Operator API: {@code PUT /admin/accounts/{id}/plan} with {@code {"plan": "pro"}} assigns one of the configured
 * plans ({@code null}: back to {@code tollgate.default-plan}); the same body twice changes nothing. {@code GET} shows
 * the plan in force. Other instances apply a new plan within the key cache TTL.
 */
@Controller("/admin/accounts/{accountId}/plan")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = ApiDocument.OPERATOR)
@SecurityRequirement(name = ApiDocument.ADMIN_TOKEN)
@ApiErrors.AdminRefused
public class AdminPlanController {

    private final SpendWindows windows;
    private final ObjectMapper json;

    public AdminPlanController(SpendWindows windows, ObjectMapper json) {
        this.windows = windows;
        this.json = json;
    }

    @Put
    @Consumes(MediaType.ALL)
    @Operation(operationId = "assignPlan", summary = "Assign a plan to an account",
            description = "Idempotent: the same body again changes nothing. Other instances apply it within "
                    + "tollgate.key-cache-ttl.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminPlanSchemas.Assignment.class)))
    @ApiResponse(responseCode = "200", description = "The plan now in force",
            content = @Content(schema = @Schema(implementation = AdminPlanSchemas.AccountPlan.class)))
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    public HttpResponse<byte[]> assign(@PathVariable String accountId,
                                       @Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body) {
        ObjectNode request = JsonBodies.object(body, json, "{\"plan\": \"pro\"}");
        request.fieldNames().forEachRemaining(field -> {
            if (!field.equals("plan")) {
                throw ApiException.invalid(field, "Unrecognized parameter '" + field + "': the body is {\"plan\": \"<name>\"}.");
            }
        });
        JsonNode plan = request.get("plan");
        if (plan == null || !(plan.isTextual() || plan.isNull())) {
            throw ApiException.invalid("plan", "'plan' must be the name of a configured plan (" + known()
                    + "), or null for the default plan.");
        }
        String name = plan.isNull() ? null : plan.asText();
        if (name != null && windows.plans().find(name).isEmpty()) {
            throw ApiException.invalid("plan", "Unknown plan '" + name + "'. Configured plans: " + known() + ".");
        }
        if (!windows.assign(accountId, name)) {
            throw notFound(accountId);
        }
        return read(accountId);
    }

    @Get
    @Operation(operationId = "retrievePlan", summary = "The plan in force for an account",
            description = "The account's own plan, else tollgate.default-plan, else null.")
    @ApiResponse(responseCode = "200", description = "The plan in force",
            content = @Content(schema = @Schema(implementation = AdminPlanSchemas.AccountPlan.class)))
    public HttpResponse<byte[]> read(@PathVariable String accountId) {
        Optional<Plan> plan = windows.planOf(accountId);
        ObjectNode response = json.createObjectNode();
        response.put("account_id", accountId);
        if (plan.isEmpty()) {
            response.putNull("plan");
        } else {
            response.put("plan", plan.get().name());
            ArrayNode limits = response.putArray("windows");
            for (WindowLimit limit : plan.get().limits()) {
                limits.addObject().put("window", limit.window().wire()).put("limit_usd", limit.limit().toDollars());
            }
        }
        return Json.status(200, response.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String known() {
        return windows.plans().names().isEmpty() ? "none are configured" : String.join(", ", windows.plans().names());
    }

    private static ApiException notFound(String accountId) {
        return new ApiException(ErrorCode.NOT_FOUND, "No account with id '" + accountId + "'.");
    }
}
