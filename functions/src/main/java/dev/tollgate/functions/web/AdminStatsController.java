package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.functions.wiring.DynamoCallCounter;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** GET /admin/stats: DynamoDB requests by operation since this instance started. */
@Controller("/admin/stats")
public class AdminStatsController {

    private final DynamoCallCounter counter;
    private final ObjectMapper json;

    public AdminStatsController(DynamoCallCounter counter, ObjectMapper json) {
        this.counter = counter;
        this.json = json;
    }

    @Get
    public HttpResponse<byte[]> stats() {
        ObjectNode body = json.createObjectNode();
        ObjectNode dynamo = body.putObject("dynamodb_requests");
        counter.snapshot().forEach(dynamo::put);
        return Json.ok(body.toString());
    }
}
