package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.accounts.Account;
import dev.tollgate.accounts.AccountReader;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;

/** Operator API: GET /admin/accounts/{id} reads one account and its balance (admin token, see AdminFilter). */
@Controller("/admin/accounts")
public class AdminAccountController {

    private final AccountReader accounts;
    private final ObjectMapper json;

    public AdminAccountController(AccountReader accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @Get("/{accountId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
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
