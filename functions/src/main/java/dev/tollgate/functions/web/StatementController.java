package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.error.ApiException;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.StatementSchemas;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code GET /v1/statement?start=&end=}: every movement of the account's money in the period with the running
 * balance, as JSON, or as CSV with {@code format=csv} or {@code Accept: text/csv}. Management keys only.
 */
@Controller("/v1/statement")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = ApiDocument.ACCOUNT)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
@ApiErrors.ManagementKey
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
    @Operation(operationId = "getStatement", summary = "Every movement of the account's money, with the running "
            + "balance (management key)",
            description = "Top-ups, request charges, reversals, refunds, disputes, operator credits and debits, debt "
                    + "taken and repaid, in time order. JSON by default; CSV with format=csv, or without format when "
                    + "Accept names text/csv. At most 10,000 movements: a longer period is 400.")
    @ApiResponse(responseCode = "200", description = "The statement",
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = StatementSchemas.Statement.class)),
                @Content(mediaType = "text/csv", schema = @Schema(type = "string", description = "A header line ("
                        + "time, kind, entry_id, description, amount_usd, balance_usd, debt_change_usd, debt_usd, "
                        + "request_id, key_id, model, reference, stripe_event, stripe_checkout_session, "
                        + "stripe_payment_intent), an opening_balance line, one line per movement, a closing_balance "
                        + "line; text a spreadsheet would run as a formula is prefixed with '"))
            },
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.CONTENT_DISPOSITION,
                    description = "CSV only: attachment; filename=\"statement-<account>-<start>-<end>.csv\"",
                    schema = @Schema(type = "string")))
    @ApiErrors.BadRequest
    public HttpResponse<byte[]> statement(
            @Parameter(description = "Included: ISO-8601 (with Z or an offset), a day (YYYY-MM-DD, from 00:00 UTC) or "
                    + "unix seconds; default: 30 days before end", example = "2026-12-01") @Nullable @QueryValue String start,
            @Parameter(description = "Excluded, same forms (a day runs to its end); default and at most: now",
                    example = "2026-12-31") @Nullable @QueryValue String end,
            @Parameter(description = "json or csv; without it, Accept: text/csv asks for CSV",
                    schema = @Schema(type = "string", allowableValues = {"json", "csv"})) @Nullable @QueryValue String format,
            // OpenAPI ignores Accept as a parameter: the content types of the 200 answer describe it
            @Parameter(hidden = true) @Nullable @Header(HttpHeaders.ACCEPT) String accept,
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
