package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.Statement;
import dev.tollgate.ledger.StatementCsv;
import dev.tollgate.ledger.StatementService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code GET /v1/statement?start=&end=}: every movement of the account's money in the period with the running
 * balance, as JSON, or as CSV with {@code format=csv} or {@code Accept: text/csv}. Management keys only.
 */
@Controller("/v1/statement")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatementController {

    static final String CSV = "text/csv; charset=utf-8";

    private final StatementService statements;
    private final ObjectMapper json;

    public StatementController(StatementService statements, ObjectMapper json) {
        this.statements = statements;
        this.json = json;
    }

    @Get
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public HttpResponse<byte[]> statement(@Nullable @QueryValue String start, @Nullable @QueryValue String end,
                                          @Nullable @QueryValue String format, @Nullable @Header(HttpHeaders.ACCEPT) String accept,
                                          @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        boolean csv = csv(format, accept);
        Statement statement = statements.statement(caller, start, end);
        if (!csv) {
            return Json.status(200, StatementJson.of(json, statement).toString().getBytes(StandardCharsets.UTF_8));
        }
        String file = "statement-" + statement.accountId() + "-" + statement.start().toString().substring(0, 10) + "-"
                + statement.end().toString().substring(0, 10) + ".csv";
        return HttpResponse.ok(StatementCsv.of(statement).getBytes(StandardCharsets.UTF_8))
                .contentType(MediaType.of(CSV))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"");
    }

    /** {@code format} decides when given; otherwise an Accept header naming text/csv (and not JSON first) does. */
    static boolean csv(String format, String accept) {
        if (format != null && !format.isBlank()) {
            String f = format.strip().toLowerCase(Locale.ROOT);
            if (!f.equals("csv") && !f.equals("json")) {
                throw ApiException.invalid("format", "'format' must be json or csv (or leave it out and send "
                        + "Accept: text/csv for CSV).");
            }
            return f.equals("csv");
        }
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }
}
