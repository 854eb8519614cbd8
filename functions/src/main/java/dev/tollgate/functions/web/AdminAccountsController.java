package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.accounts.AccountService;
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
 * Operator API: POST /admin/accounts opens an account with credit and returns its management key once. With a
 * {@code reference} it opens at most one account per reference: 201 the first time, then 200 with the same
 * account, {@code "duplicate": true} and no key secret (only its id); the same reference with another name or
 * credit is 409.
 */
@Controller("/admin/accounts")
@Tag(name = ApiDocument.OPERATOR)
@SecurityRequirement(name = ApiDocument.ADMIN_TOKEN)
@ApiErrors.AdminRefused
public class AdminAccountsController {

    private static final String EXAMPLE = "{\"name\": \"Acme\", \"credit_usd\": \"5.00\", \"reference\": \"crm-1042\"}";

    private final AccountService accounts;
    private final ObjectMapper json;

    public AdminAccountsController(AccountService accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.ALL)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "createAccount", summary = "Open an account with credit and a management key")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminSchemas.Opening.class)))
    @ApiResponse(responseCode = "201", description = "Opened; api_key is the management key's secret, shown only here",
            content = @Content(schema = @Schema(implementation = AdminSchemas.Opened.class)))
    @ApiResponse(responseCode = "200", description = "This reference already opened this account: duplicate is true, "
            + "api_key null",
            content = @Content(schema = @Schema(implementation = AdminSchemas.Opened.class)))
    @ApiErrors.BadRequest
    @ApiErrors.Conflict
    public HttpResponse<byte[]> create(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body) {
        ObjectNode request = JsonBodies.object(body, json, EXAMPLE);
        String name = JsonBodies.requireString(request, "name");
        Money credit = JsonBodies.requireDollars(request, "credit_usd");
        String reference = reference(request.get("reference"));
        AccountService.Opened opened = accounts.open(name, credit, reference);
        ObjectNode response = json.createObjectNode();
        response.put("account_id", opened.account().accountId());
        response.put("name", opened.account().name());
        response.put("reference", reference == null ? null : reference.strip());
        response.put("api_key", opened.secret());
        response.put("key_id", opened.key() == null ? null : opened.key().keyId());
        response.put("key_role", opened.key() == null ? null : opened.key().role().wire());
        response.put("balance_usd", opened.account().balance().toDollars());
        response.put("duplicate", opened.duplicate());
        return Json.status(opened.duplicate() ? 200 : 201, response.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String reference(JsonNode reference) {
        if (reference == null || reference.isNull()) {
            return null;
        }
        if (!reference.isTextual()) {
            throw ApiException.invalid("reference", "'reference' must be a string, e.g. a CRM or ticket id.");
        }
        return reference.asText();
    }
}
