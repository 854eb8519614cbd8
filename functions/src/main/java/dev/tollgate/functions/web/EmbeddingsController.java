package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.embeddings.EmbeddingOutcome;
import dev.tollgate.embeddings.EmbeddingService;
import dev.tollgate.functions.web.openapi.ApiDocument;
import dev.tollgate.functions.web.openapi.ApiErrors;
import dev.tollgate.functions.web.openapi.ModelSchemas;
import dev.tollgate.keys.ApiKey;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** POST /v1/embeddings: the OpenAI list of vectors, with usage, cost and balance headers. */
@Controller("/v1")
@RateLimited
@Tag(name = ApiDocument.INFERENCE)
@SecurityRequirement(name = ApiDocument.API_KEY)
@ApiErrors.BadRequest
@ApiErrors.KeyRequired
@ApiErrors.Metered
public class EmbeddingsController {

    private final EmbeddingService embeddings;
    private final ObjectMapper json;

    public EmbeddingsController(EmbeddingService embeddings, ObjectMapper json) {
        this.embeddings = embeddings;
        this.json = json;
    }

    /** Any content type is read as JSON, as for chat completions. */
    @Post("/embeddings")
    @Idempotent
    @ApiErrors.IdempotencyKey
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "createEmbedding", summary = "Create embeddings",
            description = "Inputs longer than the model's limit are a 400 naming the input, never truncated.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ModelSchemas.EmbeddingRequest.class)))
    @ApiResponse(responseCode = "200", description = "One vector per input, in input order",
            headers = {
                @Header(name = "x-request-id", schema = @Schema(type = "string")),
                @Header(name = "x-tollgate-balance-usd", schema = @Schema(type = "string"),
                        description = "The balance after this request"),
                @Header(name = "x-tollgate-balance-micros", schema = @Schema(type = "integer", format = "int64")),
                @Header(name = "x-tollgate-cost-usd", schema = @Schema(type = "string"))
            },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ModelSchemas.EmbeddingList.class)))
    public HttpResponse<byte[]> embed(@Parameter(hidden = true) @Body @Bindable(defaultValue = "") byte[] body,
                                      @RequestAttribute(AuthFilter.KEY) ApiKey key,
                                      @RequestBean SpendParams spend,
                                      @Parameter(hidden = true) @Nullable
                                      @RequestAttribute(IdempotencyFilter.REQUEST_ID) String requestId) {
        if (spend.isDryRun()) {
            return SpendParams.quote(json, embeddings.quote(key, body, spend.headers()));
        }
        EmbeddingOutcome outcome = embeddings.embed(key, body, spend.headers(), requestId);
        return ChatCompletionsController.BalanceHeaders.credits(ChatCompletionsController.BalanceHeaders.add(
                        Json.status(200, outcome.body()), outcome.requestId(), outcome.settlement().balance())
                .header("x-tollgate-cost-usd", outcome.settlement().charged().toDollars()), outcome.settlement().windows());
    }
}
