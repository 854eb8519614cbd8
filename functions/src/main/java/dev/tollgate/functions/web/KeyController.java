package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.WindowSchemas;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.windows.WindowReport;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * {@code GET /v1/key}, for any key: the calling key as stored (its limits, expiry, role, budget), its account's plan,
 * and every spend window with what is used, what is left and when it resets.
 */
@Controller("/v1/key")
@Tag(name = ApiDocument.ACCOUNT)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
public class KeyController {

    private final WindowReport windows;
    private final ObjectMapper json;
    private final Clock clock;

    public KeyController(WindowReport windows, ObjectMapper json, Clock clock) {
        this.windows = windows;
        this.json = json;
        this.clock = clock;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "getCallingKey", summary = "The calling key, its plan and its spend windows (any key)",
            description = "Every window that applies (scope plan or key) with what is used (open holds included), what "
                    + "is left and when it resets; credits are the tightest per window, the numbers of the "
                    + "X-RateLimit-*-Credits headers.")
    @ApiResponse(responseCode = "200", description = "The key and its windows",
            content = @Content(schema = @Schema(implementation = WindowSchemas.KeyWithWindows.class)))
    public HttpResponse<byte[]> key(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        WindowReport.Report report = windows.report(caller);
        ObjectNode node = KeyJson.of(json, report.key(), clock.instant());
        WindowJson.put(node, report);
        return Json.status(200, node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
