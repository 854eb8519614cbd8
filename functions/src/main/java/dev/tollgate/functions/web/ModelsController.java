package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.ErrorBody;
import dev.tollgate.functions.web.openapi.ModelSchemas;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * GET /v1/models and /v1/models/{id}: the OpenAI list shape, each entry extended (as OpenRouter does)
 * with {@code context_length}, {@code pricing} and {@code capabilities}, and for embeddings models an
 * {@code embedding} object (vector size, longest input, whether {@code dimensions} is accepted), and last the
 * {@code auto} entry when the catalog has auto routing. The catalog is immutable, so the list body is rendered once.
 */
@Controller("/v1/models")
@Tag(name = ApiDocument.INFERENCE)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.KeyRequired
public class ModelsController {

    private final Catalog catalog;
    private final ObjectMapper json;
    private final String listBody;

    public ModelsController(Catalog catalog, ObjectMapper json) {
        this.catalog = catalog;
        this.json = json;
        ObjectNode list = json.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        catalog.models().forEach(m -> data.add(entry(m)));
        catalog.auto().ifPresent(auto -> data.add(AutoModelJson.entry(json, catalog, auto)));
        this.listBody = list.toString();
    }

    @Get
    @Operation(operationId = "listModels", summary = "List the catalog's models with their prices and limits")
    @ApiResponse(responseCode = "200", description = "Every model of the catalog",
            content = @Content(schema = @Schema(implementation = ModelSchemas.ModelList.class)))
    public HttpResponse<byte[]> list() {
        return Json.ok(listBody);
    }

    /**
     * Model ids may contain '/' (qwen/qwen3-coder:free), so the variable matches any non-blank text. A regular
     * expression rather than {@code {+id}}: the OpenAPI processor drops reserved expansions from the path.
     */
    @Get("/{id:\\S+}")
    @Operation(operationId = "retrieveModel", summary = "One model of the catalog")
    @ApiResponse(responseCode = "200", description = "The model",
            content = @Content(schema = @Schema(implementation = ModelSchemas.Model.class)))
    @ApiResponse(responseCode = "404", description = "model_not_found: the model is not in the catalog",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public HttpResponse<byte[]> retrieve(@Parameter(description = "A model id; it may contain '/', sent as it is",
            example = "qwen/qwen3-coder:free") @PathVariable String id) {
        if (id.equals("auto") && catalog.auto().isPresent()) {
            return Json.ok(AutoModelJson.entry(json, catalog, catalog.auto().get()).toString());
        }
        ModelEntry model = catalog.find(id).orElseThrow(() -> new ApiException(ErrorCode.MODEL_NOT_FOUND,
                "The model '" + id + "' does not exist. GET /v1/models lists the models you can use.", "model"));
        return Json.ok(entry(model).toString());
    }

    private ObjectNode entry(ModelEntry m) {
        ObjectNode node = json.createObjectNode();
        node.put("id", m.id());
        node.put("object", "model");
        node.put("created", 1_767_225_600L); // catalog v1 publication date (2026-01-01), stable across restarts
        node.put("owned_by", m.ownedBy());
        node.put("description", m.description());
        node.put("context_length", m.contextLength());
        if (m.embedding() != null && !m.supports("chat")) {
            // An embeddings model generates no tokens: null, not a 0 a client could take for "no room left".
            node.putNull("max_output_tokens");
        } else {
            node.put("max_output_tokens", m.maxOutputTokens());
        }
        if (m.embedding() != null) {
            ObjectNode embedding = node.putObject("embedding");
            embedding.put("dimensions", m.embedding().dimensions());
            embedding.put("max_input_tokens", m.embedding().maxInputTokens());
            embedding.put("supports_dimensions", m.embedding().supportsDimensions());
        }
        ObjectNode pricing = node.putObject("pricing");
        pricing.put("prompt", m.pricing().input().dollarsPerToken());
        pricing.put("completion", m.pricing().output().dollarsPerToken());
        pricing.put("prompt_per_million", m.pricing().input().dollarsPerMillion());
        pricing.put("completion_per_million", m.pricing().output().dollarsPerMillion());
        if (!m.pricing().cachedInput().equals(m.pricing().input())) {
            // OpenRouter's name for the price of prompt tokens read from the upstream's cache.
            pricing.put("input_cache_read", m.pricing().cachedInput().dollarsPerToken());
            pricing.put("input_cache_read_per_million", m.pricing().cachedInput().dollarsPerMillion());
        }
        if (!m.pricing().cacheWrite().equals(m.pricing().input())) {
            // OpenRouter's name for the price of prompt tokens written to the upstream's cache.
            pricing.put("input_cache_write", m.pricing().cacheWrite().dollarsPerToken());
            pricing.put("input_cache_write_per_million", m.pricing().cacheWrite().dollarsPerMillion());
        }
        pricing.put("currency", "USD");
        ArrayNode capabilities = node.putArray("capabilities");
        m.capabilities().stream().sorted().forEach(capabilities::add);
        node.put("free", m.isFree());
        return node;
    }
}
