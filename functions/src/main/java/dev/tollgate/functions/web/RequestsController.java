package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.ErrorBody;
import dev.tollgate.functions.web.openapi.RequestLogSchemas;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.RequestLogService;
import dev.tollgate.ledger.RequestQuery;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
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

/**
 * {@code GET /v1/requests} (the request log, newest first, cursor-paginated, filtered by key, model, status and time)
 * and {@code GET /v1/requests/{id}} (one request by its {@code x-request-id}). Management keys see the account's
 * requests, inference keys their own.
 */
@Controller("/v1/requests")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = ApiDocument.ACCOUNT)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
public class RequestsController {

    /** What start and end take (RequestLogService via TimeParams). */
    private static final String TIME = "ISO-8601 (with Z or an offset), a day (YYYY-MM-DD, from 00:00 UTC) or unix "
            + "seconds.";

    private final RequestLogService requests;
    private final ObjectMapper json;

    public RequestsController(RequestLogService requests, ObjectMapper json) {
        this.requests = requests;
        this.json = json;
    }

    @Get
    @SuppressWarnings("checkstyle:ParameterNumber")
    @Operation(operationId = "listRequests", summary = "The request log, newest first (any key)",
            description = "Every request that reached billing, one row each, read from the ledger entry its settlement "
                    + "wrote. A management key sees its account's requests, an inference key only its own. "
                    + "Cursor-paginated: pass next_cursor as after.")
    @ApiResponse(responseCode = "200", description = "A page of requests",
            content = @Content(schema = @Schema(implementation = RequestLogSchemas.RequestList.class)))
    @ApiErrors.BadRequest
    @ApiResponse(responseCode = "403", description = "permission_denied: an inference key asked for another key's "
            + "requests (key_id)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<byte[]> list(
            @Parameter(description = "One key's requests (an inference key: only its own id)", example = "key_...")
            @Nullable @QueryValue("key_id") String keyId,
            @Parameter(description = "The model that served it", example = "gemma3:1b") @Nullable @QueryValue String model,
            @Parameter(description = "How it ended", schema = @Schema(type = "string", allowableValues = {"ok",
                "client_disconnect", "upstream_error", "upstream_timeout", "max_duration", "output_bound", "shutdown",
                "hold_expired", "in_progress"})) @Nullable @QueryValue String status,
            @Parameter(description = TIME + " Included.", example = "2026-12-06T08:00:00Z") @Nullable @QueryValue String start,
            @Parameter(description = TIME + " Excluded; a day as end runs to the end of that day.", example = "2026-12-06")
            @Nullable @QueryValue String end,
            @Parameter(description = "Rows per page", schema = @Schema(type = "integer", minimum = "1", maximum = "200",
                    defaultValue = "50")) @Nullable @QueryValue String limit,
            @Parameter(description = "The previous page's next_cursor (opaque)") @Nullable @QueryValue String after,
            @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        RequestQuery query = new RequestQuery(keyId, model, status, start, end, limit, after);
        return Json.status(200, RequestJson.page(json, requests.list(caller, query)).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    @Get("/{id}")
    @Operation(operationId = "retrieveRequest", summary = "One request by its x-request-id (any key)",
            description = "Another key's request is 404 for an inference key, so ids cannot be probed.")
    @ApiResponse(responseCode = "200", description = "The request",
            content = @Content(schema = @Schema(implementation = RequestLogSchemas.LoggedRequest.class)))
    @ApiErrors.NotFound
    public HttpResponse<byte[]> get(@PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return Json.status(200, RequestJson.of(json, requests.get(caller, id)).toString().getBytes(StandardCharsets.UTF_8));
    }
}
