package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.money.Money;
import dev.tollgate.openai.JsonBodies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;

/** Operator API: POST /admin/accounts opens an account with credit and returns its management key once. */
@Controller("/admin/accounts")
public class AdminAccountsController {

    private final AccountService accounts;
    private final ObjectMapper json;

    public AdminAccountsController(AccountService accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.ALL)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<byte[]> create(@Nullable @Body byte[] body) {
        ObjectNode request = JsonBodies.object(body, json, "{\"name\": \"Acme\", \"credit_usd\": \"5.00\"}");
        String name = JsonBodies.requireString(request, "name");
        Money credit = JsonBodies.requireDollars(request, "credit_usd");
        AccountService.Opened opened = accounts.open(name, credit);
        ObjectNode response = json.createObjectNode();
        response.put("account_id", opened.account().accountId());
        response.put("name", opened.account().name());
        response.put("api_key", opened.secret());
        response.put("key_id", opened.key().keyId());
        response.put("key_role", opened.key().role().wire());
        response.put("balance_usd", opened.account().balance().toDollars());
        return Json.status(201, response.toString().getBytes(StandardCharsets.UTF_8));
    }
}
