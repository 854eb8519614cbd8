package dev.tollgate.functions.web.console;

import dev.tollgate.accounts.AccountReader;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.accounts.BalanceAdjustments;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import dev.tollgate.operator.OperatorService;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The operator's accounts: search by id or name, open an account (its first key shown once), and an account's
 * detail with credits and debits by reference (idempotent, through {@link BalanceAdjustments} as
 * {@code POST /admin/accounts/{id}/credits}).
 */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/operator")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperatorAccountsController {

    private final OperatorService operator;
    private final AccountService accounts;
    private final AccountReader reader;
    private final BalanceAdjustments adjustments;
    private final Pages pages;
    private final Csrf csrf;
    private final OperatorAccountPage detail;

    public OperatorAccountsController(OperatorService operator, AccountService accounts, AccountReader reader,
                                      BalanceAdjustments adjustments, Pages pages, Csrf csrf, OperatorAccountPage detail) {
        this.operator = operator;
        this.accounts = accounts;
        this.reader = reader;
        this.adjustments = adjustments;
        this.pages = pages;
        this.csrf = csrf;
        this.detail = detail;
    }

    @Get
    public HttpResponse<String> search(HttpRequest<?> request, @Nullable @QueryValue String q, @Nullable @QueryValue String after) {
        return searchPage(request, HttpStatus.OK, q, after, null);
    }

    @Post("/accounts")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> open(HttpRequest<?> request, @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        csrf.require(request, form);
        AccountService.Opened opened;
        try {
            opened = accounts.open(form.get("name"), dollars(form.get("credit_usd"), "credit_usd"), form.get("reference"));
        } catch (ApiException e) {
            return searchPage(request, HttpStatus.valueOf(e.status()), null, null, e.getMessage());
        }
        return pages.page(request, "operator-opened.jte", "Account opened", "accounts", Map.of("opened", opened));
    }

    @Get("/accounts/{id}")
    public HttpResponse<String> account(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String done) {
        reader.read(id); // the /admin API's 404 for an unknown account
        return detail.render(request, HttpStatus.OK, id, done, null);
    }

    @Post("/accounts/{id}/credits")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> adjust(HttpRequest<?> request, @PathVariable String id, @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        csrf.require(request, form);
        BalanceAdjustments.Adjusted done;
        try {
            Money amount = dollars(form.get("amount_usd"), "amount_usd");
            if ("debit".equals(form.get("direction"))) {
                amount = amount.negate();
            }
            done = adjustments.adjust(id, amount, form.get("reference"), form.get("note"));
        } catch (ApiException e) {
            return detail.render(request, HttpStatus.valueOf(e.status()), id, null, e.getMessage());
        }
        String message = done.duplicate() ? "The reference was used before: nothing changed."
                : done.entry().type().wire() + " of " + done.entry().amount().display() + " applied"
                + (done.shortfall().isPositive() ? "; " + done.shortfall().display() + " became debt." : ".");
        return pages.redirect(request, "/console/operator/accounts/" + id + "?done="
                + URLEncoder.encode(message, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> searchPage(HttpRequest<?> request, HttpStatus status, String q, String after, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", pages.chrome(request, "Accounts", "accounts"));
        params.put("q", q == null ? "" : q);
        params.put("found", operator.search(q, after));
        params.put("error", error);
        return pages.render(status, "operator-accounts.jte", params);
    }

    private static Money dollars(String text, String field) {
        try {
            return Money.parseDollars(text == null ? "" : text.replace("$", "").strip());
        } catch (RuntimeException e) {
            throw ApiException.invalid(field, "Enter an amount in dollars, e.g. 10.00.");
        }
    }
}
