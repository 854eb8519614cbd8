package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.windows.WindowReport;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * {@code GET /v1/key}, for any key: the calling key as stored (its limits, expiry, role, budget), its account's plan,
 * and every spend window with what is used, what is left and when it resets.
 */
@Controller("/v1/key")
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
    public HttpResponse<byte[]> key(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        WindowReport.Report report = windows.report(caller);
        ObjectNode node = KeyJson.of(json, report.key(), clock.instant());
        WindowJson.put(node, report);
        return Json.status(200, node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
