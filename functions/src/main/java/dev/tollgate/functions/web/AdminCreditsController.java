package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.accounts.BalanceAdjustments;
import dev.tollgate.error.ApiException;
import dev.tollgate.functions.web.openapi.AdminSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
 * Operator API: POST /admin/accounts/{id}/credits credits (positive amount) or debits (negative) an
 * account once per {@code reference}: 201 the first time, 200 with {@code "duplicate": true} after. A debit
 * beyond the balance takes it to zero and the rest ({@code shortfall_usd}) is added to the account's
 * {@code debt_usd}, which its keys must see paid before they may spend again.
 */
@Controller("/admin/accounts/{accountId}/credits")
@Tag(name = ApiDocument.OPERATOR)
@SecurityRequirement(name = ApiDocument.ADMIN_TOKEN)
@ApiErrors.AdminRefused
public class AdminCreditsController {

    private static final String EXAMPLE = "{\"amount_usd\": \"2.50\", \"reference\": \"ticket-42\", \"note\": \"goodwill\"}";

    private final BalanceAdjustments adjustments;
    private final ObjectMapper json;

    public AdminCreditsController(BalanceAdjustments adjustments, ObjectMapper json) {
        this.adjustments = adjustments;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.ALL)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "adjustBalance", summary = "Credit (positive) or debit (negative) an account, once per "
            + "reference", description = "A debit beyond the balance takes it to zero; the rest becomes the account's "
            + "debt, which its keys must see paid before they may spend again.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminSchemas.CreditRequest.class)))
    @ApiResponse(responseCode = "201", description = "Applied",
            content = @Content(schema = @Schema(implementation = AdminSchemas.Credit.class)))
    @ApiResponse(responseCode = "200", description = "This reference was applied before: duplicate is true, nothing "
            + "changed",
            content = @Content(schema = @Schema(implementation = AdminSchemas.Credit.class)))
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public HttpResponse<byte[]> adjust(@PathVariable String accountId,
                                       @Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body) {
        ObjectNode request = JsonBodies.object(body, json, EXAMPLE);
        Money amount = JsonBodies.requireDollars(request, "amount_usd");
        String reference = JsonBodies.requireString(request, "reference");
        BalanceAdjustments.Adjusted done = adjustments.adjust(accountId, amount, reference, note(request.get("note")));
        ObjectNode response = json.createObjectNode();
        response.put("account_id", accountId);
        response.put("entry_id", done.entry().entryId());
        response.put("reference", done.entry().reference());
        response.put("type", done.entry().type().wire());
        response.put("requested_usd", done.requested().toDollars());
        response.put("amount_usd", done.entry().amount().toDollars());
        response.put("shortfall_usd", done.shortfall().toDollars());
        response.put("balance_usd", done.balance().toDollars());
        response.put("debt_usd", done.debt().toDollars());
        response.put("at", done.entry().at().toString());
        response.put("note", done.entry().note());
        response.put("duplicate", done.duplicate());
        return Json.status(done.duplicate() ? 200 : 201, response.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String note(JsonNode note) {
        if (note == null || note.isNull()) {
            return null;
        }
        if (!note.isTextual()) {
            throw ApiException.invalid("note", "'note' must be a string.");
        }
        return note.asText();
    }
}
