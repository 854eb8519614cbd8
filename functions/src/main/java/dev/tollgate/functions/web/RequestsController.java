package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/requests} (the request log, newest first, cursor-paginated, filtered by key, model, status and time)
 * and {@code GET /v1/requests/{id}} (one request by its {@code x-request-id}). Management keys see the account's
 * requests, inference keys their own.
 */
@Controller("/v1/requests")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RequestsController {

    private final RequestLogService requests;
    private final ObjectMapper json;

    public RequestsController(RequestLogService requests, ObjectMapper json) {
        this.requests = requests;
        this.json = json;
    }

    @Get
    @SuppressWarnings("checkstyle:ParameterNumber")
    public HttpResponse<byte[]> list(@Nullable @QueryValue("key_id") String keyId, @Nullable @QueryValue String model,
                                     @Nullable @QueryValue String status, @Nullable @QueryValue String start,
                                     @Nullable @QueryValue String end, @Nullable @QueryValue String limit,
                                     @Nullable @QueryValue String after, @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        RequestQuery query = new RequestQuery(keyId, model, status, start, end, limit, after);
        return Json.status(200, RequestJson.page(json, requests.list(caller, query)).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    @Get("/{id}")
    public HttpResponse<byte[]> get(@PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return Json.status(200, RequestJson.of(json, requests.get(caller, id)).toString().getBytes(StandardCharsets.UTF_8));
    }
}
