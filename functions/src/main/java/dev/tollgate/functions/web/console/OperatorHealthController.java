package dev.tollgate.functions.web.console;

import dev.tollgate.operator.OperatorService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/** The deployment's health for the operator: open and overdue holds, the reconciler's last run, debt totals. */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/operator/health")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperatorHealthController {

    private final OperatorService operator;
    private final Pages pages;

    public OperatorHealthController(OperatorService operator, Pages pages) {
        this.operator = operator;
        this.pages = pages;
    }

    @Get
    public HttpResponse<String> health(HttpRequest<?> request) {
        return pages.page(request, "operator-health.jte", "Health", "health", Map.of("health", operator.health()));
    }
}
