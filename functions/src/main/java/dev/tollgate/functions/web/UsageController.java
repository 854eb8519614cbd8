package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.UsageReport;
import dev.tollgate.billing.UsageService;
import dev.tollgate.functions.web.openapi.AccountSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.windows.WindowReport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
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
import java.util.List;

/**
 * GET /v1/usage?start=YYYY-MM-DD&end=YYYY-MM-DD, for any key: the account balance and debt, the calling key's
 * budget, and the account's usage by day and by model. Dollars are strings with six decimals.
 */
@Controller("/v1/usage")
@Tag(name = ApiDocument.ACCOUNT)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.BadRequest
@ApiErrors.KeyRequired
public class UsageController {

    private final UsageService usage;
    private final ObjectMapper json;
    private final WindowReport windows;

    public UsageController(UsageService usage, ObjectMapper json, WindowReport windows) {
        this.usage = usage;
        this.json = json;
        this.windows = windows;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "getUsage", summary = "Balance, key budget and usage by day and model (any key)")
    @ApiResponse(responseCode = "200", description = "The report",
            content = @Content(schema = @Schema(implementation = AccountSchemas.UsageReport.class)))
    public HttpResponse<byte[]> usage(
            @Parameter(description = "First day (UTC); default: 29 days before end", example = "2026-11-01",
                    schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue String start,
            @Parameter(description = "Last day, included; default: today (UTC). At most 366 days in all.",
                    schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue String end,
            @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        UsageReport report = usage.report(caller, start, end);
        ObjectNode root = json.createObjectNode();
        root.put("object", "usage");
        root.put("account_id", report.accountId());
        root.put("balance_usd", report.balance().toDollars());
        root.put("debt_usd", report.debt().toDollars());
        ObjectNode key = root.putObject("key");
        key.put("id", report.key().keyId());
        key.put("name", report.key().name());
        KeyJson.dollars(key, "budget_usd", report.key().budget());
        key.put("spent_usd", report.key().spent().toDollars());
        KeyJson.dollars(key, "remaining_usd", report.key().budgetRemaining());
        // The same spend-window numbers as GET /v1/key and the credit headers.
        WindowJson.put(root, windows.report(caller));
        ObjectNode period = root.putObject("period");
        period.put("start", report.start().toString());
        period.put("end", report.end().toString());
        totals(root.putObject("totals"), report.totals());
        buckets(root.putArray("by_day"), "date", report.byDay());
        buckets(root.putArray("by_model"), "model", report.byModel());
        return Json.status(200, root.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void buckets(ArrayNode array, String labelField, List<UsageReport.Bucket> buckets) {
        for (UsageReport.Bucket bucket : buckets) {
            ObjectNode node = array.addObject();
            node.put(labelField, bucket.label());
            totals(node, bucket.totals());
        }
    }

    private static void totals(ObjectNode node, UsageReport.Totals totals) {
        node.put("requests", totals.requests());
        node.put("prompt_tokens", totals.promptTokens());
        node.put("completion_tokens", totals.completionTokens());
        node.put("total_tokens", totals.totalTokens());
        node.put("cost_usd", totals.cost().toDollars());
    }
}
