package dev.tollgate.functions.web;

import dev.tollgate.embeddings.EmbeddingOutcome;
import dev.tollgate.embeddings.EmbeddingService;
import dev.tollgate.keys.ApiKey;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** POST /v1/embeddings: the OpenAI list of vectors, with usage, cost and balance headers. */
@Controller("/v1")
@RateLimited
public class EmbeddingsController {

    private final EmbeddingService embeddings;

    public EmbeddingsController(EmbeddingService embeddings) {
        this.embeddings = embeddings;
    }

    /** Any content type is read as JSON, as for chat completions. */
    @Post("/embeddings")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<byte[]> embed(@Nullable @Body byte[] body, @RequestAttribute(AuthFilter.KEY) ApiKey key) {
        EmbeddingOutcome outcome = embeddings.embed(key, body);
        return ChatCompletionsController.BalanceHeaders.credits(ChatCompletionsController.BalanceHeaders.add(
                        Json.status(200, outcome.body()), outcome.requestId(), outcome.settlement().balance())
                .header("x-tollgate-cost-usd", outcome.settlement().charged().toDollars()), outcome.settlement().windows());
    }
}
