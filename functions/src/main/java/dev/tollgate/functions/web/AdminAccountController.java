package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.accounts.Account;
import dev.tollgate.accounts.AccountReader;
import dev.tollgate.functions.web.openapi.AdminSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;

/** Operator API: GET /admin/accounts/{id} reads one account and its balance (admin token, see AdminFilter). */
@Controller("/admin/accounts")
@Tag(name = ApiDocument.OPERATOR)
@SecurityRequirement(name = ApiDocument.ADMIN_TOKEN)
@ApiErrors.AdminRefused
public class AdminAccountController {

    private final AccountReader accounts;
    private final ObjectMapper json;

    public AdminAccountController(AccountReader accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @Get("/{accountId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "retrieveAccount", summary = "One account and its balance")
    @ApiResponse(responseCode = "200", description = "The account",
            content = @Content(schema = @Schema(implementation = AdminSchemas.Account.class)))
    @ApiErrors.NotFound
    public HttpResponse<byte[]> read(@PathVariable String accountId) {
        Account account = accounts.read(accountId);
        ObjectNode response = json.createObjectNode();
        response.put("account_id", account.accountId());
        response.put("name", account.name());
        response.put("balance_usd", account.balance().toDollars());
        response.put("balance_micros", account.balance().micros());
        response.put("created_at", account.createdAt() == null ? null : account.createdAt().toString());
        return Json.status(200, response.toString().getBytes(StandardCharsets.UTF_8));
    }
}
