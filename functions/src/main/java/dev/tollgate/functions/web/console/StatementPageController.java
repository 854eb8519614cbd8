package dev.tollgate.functions.web.console;

import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.error.ApiException;
import dev.tollgate.ledger.Statement;
import dev.tollgate.ledger.StatementCsv;
import dev.tollgate.ledger.StatementService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The statement (part of Billing): every movement of the account's money with the running balance, exactly as
 * {@code GET /v1/statement} returns it (the same service), and its CSV download (the same CSV).
 */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/billing/statement")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatementPageController {

    private static final String C = ConsoleFilter.CUSTOMER;

    private final StatementService statements;
    private final Pages pages;

    public StatementPageController(StatementService statements, Pages pages) {
        this.statements = statements;
        this.pages = pages;
    }

    @Get
    public HttpResponse<String> statement(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                          @Nullable @QueryValue String start, @Nullable @QueryValue String end) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", pages.chrome(request, "Statement", "billing"));
        params.put("start", start == null ? "" : start);
        params.put("end", end == null ? "" : end);
        try {
            params.put("statement", statements.statement(customer.key(), blank(start), blank(end)));
            params.put("error", null);
            return pages.render(HttpStatus.OK, "statement.jte", params);
        } catch (ApiException e) {
            params.put("statement", null);
            params.put("error", e.getMessage());
            return pages.render(HttpStatus.valueOf(e.status()), "statement.jte", params);
        }
    }

    @Get("/export.csv")
    @Produces("text/csv")
    public HttpResponse<byte[]> csv(@RequestAttribute(C) ConsoleSignIn.Customer customer, @Nullable @QueryValue String start,
                                    @Nullable @QueryValue String end) {
        Statement statement = statements.statement(customer.key(), blank(start), blank(end));
        String file = "statement-" + statement.accountId() + "-" + statement.start().toString().substring(0, 10) + "-"
                + statement.end().toString().substring(0, 10) + ".csv";
        return HttpResponse.ok(StatementCsv.of(statement).getBytes(StandardCharsets.UTF_8))
                .contentType(MediaType.of("text/csv; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"");
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
