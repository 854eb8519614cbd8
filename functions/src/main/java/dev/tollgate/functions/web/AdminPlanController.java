package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.windows.Plan;
import dev.tollgate.windows.SpendWindows;
import dev.tollgate.windows.WindowLimit;
import io.micronaut.core.annotation.Nullable;
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
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Operator API: {@code PUT /admin/accounts/{id}/plan} with {@code {"plan": "pro"}} assigns one of the configured
 * plans ({@code null}: back to {@code tollgate.default-plan}); the same body twice changes nothing. {@code GET} shows
 * the plan in force. Other instances apply a new plan within the key cache TTL.
 */
@Controller("/admin/accounts/{accountId}/plan")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminPlanController {

    private final SpendWindows windows;
    private final ObjectMapper json;

    public AdminPlanController(SpendWindows windows, ObjectMapper json) {
        this.windows = windows;
        this.json = json;
    }

    @Put
    @Consumes(MediaType.ALL)
    public HttpResponse<byte[]> assign(@PathVariable String accountId, @Nullable @Body byte[] body) {
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
