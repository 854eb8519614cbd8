package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.metrics.MicrometerMetrics;
import dev.tollgate.metrics.Metrics;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * {@code GET /metrics}: the server's meters in Prometheus' text format, for a scraper that presents the admin token
 * ({@link AdminFilter} guards this path as it guards {@code /admin}). Not API, so not in the OpenAPI document; on
 * Lambda, where metrics are EMF log lines, it answers 404.
 */
@Controller
@Hidden
public class MetricsController {

    /** Prometheus' text exposition format. */
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final Metrics metrics;

    public MetricsController(Metrics metrics) {
        this.metrics = metrics;
    }

    @Get(value = "/metrics", produces = TEXT_FORMAT)
    public MutableHttpResponse<?> scrape() {
        String text = metrics instanceof MicrometerMetrics micrometer ? micrometer.scrape() : null;
        if (text == null) {
            return Json.error(ErrorCode.NOT_FOUND, "This process writes its metrics to CloudWatch (EMF), not to /metrics.");
        }
        return HttpResponse.ok(text).contentType(TEXT_FORMAT);
    }
}
