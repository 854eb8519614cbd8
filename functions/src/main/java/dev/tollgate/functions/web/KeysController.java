package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.functions.web.openapi.AccountSchemas;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRequests;
import dev.tollgate.keys.KeyService;
import dev.tollgate.openai.JsonBodies;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The key management API, for management keys: {@code POST /v1/keys} (the secret is in this response
 * only), {@code GET /v1/keys}, {@code GET|PATCH|DELETE /v1/keys/{id}}. DELETE revokes: the key stays
 * listed with {@code revoked_at}, so its spending history keeps a name.
 */
@Controller("/v1/keys")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = ApiDocument.ACCOUNT)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
@ApiErrors.ManagementKey
public class KeysController {

    private static final String EXAMPLE = "{\"name\": \"ci\", \"role\": \"inference\", \"budget_usd\": \"5.00\", "
            + "\"allowed_models\": [\"gemma3:1b\"], \"rpm_limit\": 60}";

    private final KeyService keys;
    private final ObjectMapper json;
    private final Clock clock;

    public KeysController(KeyService keys, ObjectMapper json, Clock clock) {
        this.keys = keys;
        this.json = json;
        this.clock = clock;
    }

    @Post
    @Consumes(MediaType.ALL)
    @Operation(operationId = "createKey", summary = "Create a key (management key)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountSchemas.KeySettings.class)))
    @ApiResponse(responseCode = "201", description = "The key and its secret (this response only)",
            content = @Content(schema = @Schema(implementation = AccountSchemas.CreatedKey.class)))
    @ApiErrors.BadRequest
    public HttpResponse<byte[]> create(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                       @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode request = JsonBodies.object(body, json, EXAMPLE);
        KeyService.Created created = keys.create(caller, KeyRequests.forCreate(request));
        ObjectNode response = KeyJson.of(json, created.key(), clock.instant());
        response.put("key", created.secret());
        return Json.status(201, bytes(response));
    }

    @Get
    @Operation(operationId = "listKeys", summary = "The account's keys: prefixes, never secrets (management key)")
    @ApiResponse(responseCode = "200", description = "Every key of the account, revoked ones included",
            content = @Content(schema = @Schema(implementation = AccountSchemas.KeyList.class)))
    public HttpResponse<byte[]> list(@RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode response = json.createObjectNode();
        response.put("object", "list");
        ArrayNode data = response.putArray("data");
        keys.list(caller).forEach(k -> data.add(KeyJson.of(json, k, clock.instant())));
        return Json.status(200, bytes(response));
    }

    @Get("/{id}")
    @Operation(operationId = "retrieveKey", summary = "One key (management key)")
    @ApiResponse(responseCode = "200", description = "The key",
            content = @Content(schema = @Schema(implementation = AccountSchemas.Key.class)))
    @ApiErrors.NotFound
    public HttpResponse<byte[]> get(@PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return Json.status(200, bytes(KeyJson.of(json, keys.get(caller, id), clock.instant())));
    }

    @Patch("/{id}")
    @Consumes(MediaType.ALL)
    @Operation(operationId = "updateKey", summary = "Change a key's name, limits, expiry or disabled flag (management key)",
            description = "Applies at once on the instance that made the change and within tollgate.key-cache-ttl "
                    + "(10 s) on others.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AccountSchemas.KeySettings.class)))
    @ApiResponse(responseCode = "200", description = "The changed key",
            content = @Content(schema = @Schema(implementation = AccountSchemas.Key.class)))
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public HttpResponse<byte[]> update(@PathVariable String id,
                                       @Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                       @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        ObjectNode request = JsonBodies.object(body, json, "{\"budget_usd\": \"10.00\", \"rpm_limit\": 120}");
        return Json.status(200, bytes(KeyJson.of(json, keys.update(caller, id, KeyRequests.forUpdate(request)), clock.instant())));
    }

    @Delete("/{id}")
    @Operation(operationId = "revokeKey", summary = "Revoke a key (management key)",
            description = "The key stays listed with revoked_at. The account's last usable management key cannot be "
                    + "revoked (409).")
    @ApiResponse(responseCode = "200", description = "The revoked key",
            content = @Content(schema = @Schema(implementation = AccountSchemas.Key.class)))
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public HttpResponse<byte[]> revoke(@PathVariable String id, @RequestAttribute(AuthFilter.KEY) ApiKey caller) {
        return Json.status(200, bytes(KeyJson.of(json, keys.revoke(caller, id), clock.instant())));
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
