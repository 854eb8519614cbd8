package dev.tollgate.functions.web.console;

import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.error.ApiException;
import dev.tollgate.keys.KeyService;
import dev.tollgate.ledger.RequestCsv;
import dev.tollgate.ledger.RequestLogService;
import dev.tollgate.ledger.RequestPage;
import dev.tollgate.ledger.RequestQuery;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The Requests page: the request log exactly as {@code GET /v1/requests} returns it (the same service and query),
 * filterable, paged by cursor, with a CSV export of what the filters select; a row opens the request's detail.
 */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/requests")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RequestsPageController {

    /** The CSV export follows the cursor at most this many pages of {@value RequestLogService#MAX_LIMIT}. */
    static final int MAX_EXPORT_PAGES = 50;
    private static final String C = ConsoleFilter.CUSTOMER;

    private final RequestLogService requests;
    private final KeyService keys;
    private final Pages pages;
    private final ConsoleSite site;

    public RequestsPageController(RequestLogService requests, KeyService keys, Pages pages, ConsoleSite site) {
        this.requests = requests;
        this.keys = keys;
        this.pages = pages;
        this.site = site;
    }

    @Get
    @SuppressWarnings("checkstyle:ParameterNumber")
    public HttpResponse<String> list(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                     @Nullable @QueryValue("key_id") String keyId, @Nullable @QueryValue String model,
                                     @Nullable @QueryValue String status, @Nullable @QueryValue String start,
                                     @Nullable @QueryValue String end, @Nullable @QueryValue String after) {
        RequestQuery query = new RequestQuery(blank(keyId), blank(model), blank(status), blank(start), blank(end), null,
                blank(after));
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", pages.chrome(request, "Requests", "requests"));
        params.put("query", query);
        params.put("keys", keys.list(customer.key()));
        params.put("apiBase", site.baseUrl(request) + "/v1");
        HttpStatus status_ = HttpStatus.OK;
        try {
            params.put("page", requests.list(customer.key(), query));
            params.put("error", null);
        } catch (ApiException e) {
            params.put("page", null);
            params.put("error", e.getMessage());
            status_ = HttpStatus.valueOf(e.status());
        }
        params.put("csv", "/console/requests/export.csv" + (request.getUri().getRawQuery() == null ? ""
                : "?" + request.getUri().getRawQuery()));
        return pages.render(status_, "requests.jte", params);
    }

    @Get("/export.csv")
    @Produces("text/csv")
    @SuppressWarnings("checkstyle:ParameterNumber")
    public HttpResponse<byte[]> export(@RequestAttribute(C) ConsoleSignIn.Customer customer,
                                       @Nullable @QueryValue("key_id") String keyId, @Nullable @QueryValue String model,
                                       @Nullable @QueryValue String status, @Nullable @QueryValue String start,
                                       @Nullable @QueryValue String end) {
        RequestQuery query = new RequestQuery(blank(keyId), blank(model), blank(status), blank(start), blank(end),
                String.valueOf(RequestLogService.MAX_LIMIT), null);
        StringBuilder csv = new StringBuilder(RequestCsv.header());
        RequestPage page = requests.list(customer.key(), query);
        csv.append(RequestCsv.rows(page.data()));
        for (int i = 1; i < MAX_EXPORT_PAGES && page.hasMore(); i++) {
            page = requests.list(customer.key(), query.withAfter(page.nextCursor()));
            csv.append(RequestCsv.rows(page.data()));
        }
        return HttpResponse.ok(csv.toString().getBytes(StandardCharsets.UTF_8)).contentType(MediaType.of("text/csv; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"requests-" + customer.key().accountId() + ".csv\"");
    }

    @Get("/{id}")
    public HttpResponse<String> detail(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                       @PathVariable String id) {
        return pages.page(request, "request.jte", "Request " + id, "requests", Map.of("r", requests.get(customer.key(), id)));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
