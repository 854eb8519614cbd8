package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.functions.web.openapi.AdminSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.wiring.DynamoCallCounter;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** GET /admin/stats: DynamoDB requests by operation since this instance started. */
@Controller("/admin/stats")
@Tag(name = ApiDocument.OPERATOR)
@SecurityRequirement(name = ApiDocument.ADMIN_TOKEN)
@ApiErrors.AdminRefused
public class AdminStatsController {

    private final DynamoCallCounter counter;
    private final ObjectMapper json;

    public AdminStatsController(DynamoCallCounter counter, ObjectMapper json) {
        this.counter = counter;
        this.json = json;
    }

    @Get
    @Operation(operationId = "getStats", summary = "This instance's DynamoDB requests by operation")
    @ApiResponse(responseCode = "200", description = "The counters",
            content = @Content(schema = @Schema(implementation = AdminSchemas.Stats.class)))
    public HttpResponse<byte[]> stats() {
        ObjectNode body = json.createObjectNode();
        ObjectNode dynamo = body.putObject("dynamodb_requests");
        counter.snapshot().forEach(dynamo::put);
        return Json.ok(body.toString());
    }
}
