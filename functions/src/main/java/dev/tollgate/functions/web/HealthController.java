package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.error.ErrorEnvelope;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.HealthSchemas;
import dev.tollgate.health.Readiness;
import dev.tollgate.upstream.UpstreamHealth;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code GET /health} (liveness: the process answers) and {@code GET /ready} (readiness: DynamoDB answers; the
 * upstreams as last known), both without authentication, for load balancers, orchestrators and people. Neither
 * shows an address, a key or an exception: a caller learns only up or down. Not ready is a 503 in the OpenAI error
 * envelope, with the same upstream list beside it.
 */
@Controller
@Tag(name = ApiDocument.HEALTH)
public class HealthController {

    private static final byte[] ALIVE = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final Readiness readiness;
    private final ObjectMapper json;

    public HealthController(Readiness readiness, ObjectMapper json) {
        this.readiness = readiness;
        this.json = json;
    }

    @Get("/health")
    @Operation(operationId = "health", summary = "Liveness: the process answers")
    @ApiResponse(responseCode = "200", description = "Alive",
            content = @Content(schema = @Schema(implementation = HealthSchemas.Alive.class)))
    public HttpResponse<byte[]> health() {
        return Json.status(200, ALIVE);
    }

    @Get("/ready")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "ready", summary = "Readiness: DynamoDB answers a read",
            description = "The upstreams are listed as last known but do not decide: one model server down leaves "
                    + "every other model and the key and billing APIs working.")
    @ApiResponse(responseCode = "200", description = "Ready",
            content = @Content(schema = @Schema(implementation = HealthSchemas.Ready.class)))
    @ApiResponse(responseCode = "503", description = "Not ready: DynamoDB did not answer",
            content = @Content(schema = @Schema(implementation = HealthSchemas.NotReady.class)))
    public HttpResponse<byte[]> ready() {
        Readiness.Report report = readiness.check();
        ObjectNode body;
        if (report.ready()) {
            body = json.createObjectNode();
            body.put("status", "ready");
            body.putObject("dynamodb").put("status", "up");
        } else {
            body = ErrorEnvelope.of(ErrorCode.SERVICE_UNAVAILABLE, "Not ready: " + report.storeDetail()
                    + ". Requests that read keys or move money fail until it answers; retry shortly.", null);
            body.putObject("dynamodb").put("status", "down");
        }
        ArrayNode upstreams = body.putArray("upstreams");
        for (UpstreamHealth.Status status : report.upstreams()) {
            ObjectNode node = upstreams.addObject();
            node.put("name", status.name());
            node.put("status", status.state().name().toLowerCase(Locale.ROOT));
            node.put("checked_at", status.checkedAt() == null ? null : status.checkedAt().toString());
            node.put("detail", status.detail());
            ArrayNode models = node.putArray("models");
            status.models().forEach(models::add);
        }
        return Json.status(report.ready() ? 200 : 503, body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
