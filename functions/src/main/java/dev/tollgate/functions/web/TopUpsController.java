package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.topups.TopUpService;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/billing/topups} (the account's latest top-ups, newest first) and
 * {@code GET /v1/billing/topups/{id}}, for management keys: whether a checkout was paid, with its Stripe ids.
 */
@Controller("/v1/billing/topups")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TopUpsController {

    private final TopUpService topUps;
    private final ObjectMapper json;

    public TopUpsController(TopUpService topUps, ObjectMapper json) {
        this.topUps = topUps;
        this.json = json;
    }

    @Get
    public HttpResponse<byte[]> list(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode response = json.createObjectNode();
        response.put("object", "list");
        ArrayNode data = response.putArray("data");
        topUps.list(caller).forEach(t -> data.add(TopUpJson.of(json, t)));
        return Json.status(200, response.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Get("/{id}")
    public HttpResponse<byte[]> get(@PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return Json.status(200, TopUpJson.of(json, topUps.get(caller, id)).toString().getBytes(StandardCharsets.UTF_8));
    }
}
