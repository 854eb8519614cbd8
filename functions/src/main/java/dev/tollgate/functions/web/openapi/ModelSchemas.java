package dev.tollgate.functions.web.openapi;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code GET /v1/models} (ModelsController) and {@code POST /v1/embeddings}. */
public final class ModelSchemas {

    private ModelSchemas() {
    }

    @Schema(name = "ModelList")
    public record ModelList(@Schema(requiredMode = RequiredMode.REQUIRED, example = "list") String object,
                            @Schema(requiredMode = RequiredMode.REQUIRED) List<Model> data) {
    }

    @Schema(name = "Model", description = "OpenAI's model object, extended with what a caller needs to pick and "
            + "budget for a model")
    public record Model(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "qwen/qwen3-coder:free") String id,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "model") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Unix time of the catalog's publication")
            long created,
            @Schema(requiredMode = RequiredMode.REQUIRED) String ownedBy,
            @Schema(nullable = true) String description,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Tokens, prompt and output together")
            int contextLength,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true,
                    description = "The most output tokens per request; null for embeddings models")
            Integer maxOutputTokens,
            @Nullable EmbeddingInfo embedding,
            @NonNull Pricing pricing,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "[\"chat\", \"tools\"]",
                    description = "chat, embeddings, vision, tools, reasoning...")
            List<String> capabilities,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Both prices are zero") boolean free) {
    }

    @Schema(name = "ModelPricing", description = "USD as decimal strings, exact")
    public record Pricing(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.0000002", description = "Per prompt token")
            String prompt,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.0000006", description = "Per completion token")
            String completion,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.20") String promptPerMillion,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "0.60") String completionPerMillion,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "USD") String currency) {
    }

    @Schema(name = "ModelEmbeddingInfo", description = "Embeddings models only")
    public record EmbeddingInfo(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "384", description = "Vector size") int dimensions,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "256",
                    description = "Longer inputs are a 400, never truncated") int maxInputTokens,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Whether the request may set dimensions")
            boolean supportsDimensions) {
    }

    @Schema(name = "EmbeddingRequest", additionalProperties = AdditionalPropertiesValue.TRUE,
            description = "OpenAI's embeddings request; for a model served by an upstream, other fields pass through")
    public record EmbeddingRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "all-minilm-l6-v2") String model,
            @Schema(requiredMode = RequiredMode.REQUIRED, ref = "#/components/schemas/EmbeddingInput")
            Object input,
            @Schema(type = "string", allowableValues = {"float", "base64"}, defaultValue = "float",
                    description = "base64: little-endian float32, as OpenAI")
            String encodingFormat,
            @Schema(minimum = "1", description = "Only where the model's supports_dimensions is true")
            Integer dimensions) {
    }

    @Schema(name = "EmbeddingList")
    public record EmbeddingList(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "list") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<Embedding> data,
            @Schema(requiredMode = RequiredMode.REQUIRED) String model,
            @NonNull ChatSchemas.Usage usage,
            @NonNull ChatSchemas.Billing tollgate) {
    }

    @Schema(name = "Embedding")
    public record Embedding(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "embedding") String object,
            @Schema(requiredMode = RequiredMode.REQUIRED) int index,
            @Schema(requiredMode = RequiredMode.REQUIRED, ref = "#/components/schemas/EmbeddingVector")
            Object embedding) {
    }
}
