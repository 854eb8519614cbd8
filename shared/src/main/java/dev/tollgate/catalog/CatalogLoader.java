package dev.tollgate.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.TokenPrice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads catalog files. The default catalog ships in this jar ({@value #DEFAULT_RESOURCE}); deployments
 * overlay their own files on it. A catalog with a mistake fails loudly at start, naming the model and
 * field, rather than mispricing requests later.
 */
public final class CatalogLoader {

    public static final String DEFAULT_RESOURCE = "/catalog/default-catalog.json";
    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private CatalogLoader() {
    }

    public static Catalog loadDefault() {
        try (InputStream in = CatalogLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default catalog resource missing: " + DEFAULT_RESOURCE);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default catalog with each file (JSON, same shape) overlaid in order. */
    public static Catalog loadWithOverlays(List<Path> files) {
        Catalog catalog = loadDefault();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                JsonNode root = JSON.readTree(in);
                catalog = catalog.overlay(entries(root), auto(root));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read catalog file " + file, e);
            }
        }
        return catalog;
    }

    /** A complete catalog file; fallbacks and the auto section must name models in the same file. */
    public static Catalog parse(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        return new Catalog(root.path("version").asInt(1), entries(root), auto(root));
    }

    /** The file's {@code auto} section, or {@code null} when it has none. */
    private static AutoRouting auto(JsonNode root) {
        JsonNode auto = root.get("auto");
        return auto == null || auto.isNull() ? null : AutoRoutingParser.parse(auto);
    }

    private static List<ModelEntry> entries(JsonNode root) {
        List<ModelEntry> entries = new ArrayList<>();
        for (JsonNode model : root.path("models")) {
            entries.add(entry(model));
        }
        return entries;
    }

    private static ModelEntry entry(JsonNode m) {
        String id = text(m, "id", null);
        try {
            JsonNode pricing = m.path("pricing");
            TokenPrice input = TokenPrice.perMillionDollars(text(pricing, "input_per_million_usd", id));
            // Cache reads and writes cost the input rate unless the catalog states their rates.
            ModelPricing prices = new ModelPricing(input,
                    TokenPrice.perMillionDollars(text(pricing, "output_per_million_usd", id)),
                    optionalPrice(pricing, "cached_input_per_million_usd", id, input),
                    optionalPrice(pricing, "cache_write_per_million_usd", id, input));
            Set<String> capabilities = new LinkedHashSet<>();
            m.path("capabilities").forEach(c -> capabilities.add(c.asText()));
            List<String> fallbacks = new ArrayList<>();
            m.path("fallbacks").forEach(f -> fallbacks.add(f.asText()));
            EmbeddingSpec embedding = capabilities.contains("embeddings") ? embedding(m, id) : null;
            // An embeddings-only model's context is its input limit, and it generates no output tokens.
            boolean embeddingsOnly = embedding != null && !capabilities.contains("chat");
            return new ModelEntry(
                    id,
                    text(m, "upstream", id),
                    m.hasNonNull("upstream_model") ? m.get("upstream_model").asText() : id,
                    embeddingsOnly && !m.has("context_length") ? embedding.maxInputTokens() : integer(m, "context_length", id),
                    embeddingsOnly && !m.has("max_output_tokens") ? 0 : integer(m, "max_output_tokens", id),
                    prices,
                    capabilities,
                    m.path("owned_by").asText("tollgate"),
                    m.path("tokenizer").asText("o200k_base"),
                    fallbacks,
                    m.path("description").asText(""),
                    embedding,
                    policy(m));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("catalog model " + id + ": " + e.getMessage(), e);
        }
    }

    private static TokenPrice optionalPrice(JsonNode pricing, String field, String id, TokenPrice otherwise) {
        return pricing.hasNonNull(field) ? TokenPrice.perMillionDollars(text(pricing, field, id)) : otherwise;
    }

    /**
     * The model's {@link RequestPolicy}: {@link RequestPolicy#DEFAULT} with the entry's {@code max_choices},
     * {@code field_policy} (field by field), {@code remote_media}, {@code media_tokens} and
     * {@code daily_token_quota}, {@code reasoning} (the model family's reasoning switch) and
     * {@code reasoning_needs_stream}.
     */
    private static RequestPolicy policy(JsonNode m) {
        RequestPolicy base = RequestPolicy.DEFAULT;
        JsonNode choices = m.get("max_choices");
        if (choices != null && !choices.canConvertToInt()) {
            throw new IllegalArgumentException("max_choices must be an integer");
        }
        Map<String, RequestPolicy.FieldAction> fields = new LinkedHashMap<>();
        m.path("field_policy").properties().forEach(f ->
                fields.put(f.getKey(), RequestPolicy.FieldAction.parse(f.getValue().asText())));
        Map<String, Integer> media = new LinkedHashMap<>();
        m.path("media_tokens").properties().forEach(f -> {
            if (!f.getValue().canConvertToInt()) {
                throw new IllegalArgumentException("media_tokens." + f.getKey() + " must be an integer");
            }
            media.put(f.getKey(), f.getValue().asInt());
        });
        JsonNode remote = m.get("remote_media");
        if (remote != null && !remote.isBoolean()) {
            throw new IllegalArgumentException("remote_media must be true or false");
        }
        JsonNode quota = m.get("daily_token_quota");
        if (quota != null && !quota.isNull() && !(quota.isIntegralNumber() && quota.canConvertToLong())) {
            throw new IllegalArgumentException("daily_token_quota must be a whole number of tokens (0 for none)");
        }
        JsonNode needsStream = m.get("reasoning_needs_stream");
        if (needsStream != null && !needsStream.isBoolean()) {
            throw new IllegalArgumentException("reasoning_needs_stream must be true or false");
        }
        return base.with(choices == null ? base.maxChoices() : choices.asInt(), fields,
                remote == null ? base.remoteMedia() : remote.asBoolean(), media,
                quota == null || quota.isNull() ? base.dailyTokenQuota() : quota.asLong(),
                m.path("reasoning").asText(base.reasoning()),
                needsStream == null ? base.reasoningNeedsStream() : needsStream.asBoolean());
    }

    private static EmbeddingSpec embedding(JsonNode m, String id) {
        JsonNode supports = m.get("supports_dimensions");
        if (supports != null && !supports.isBoolean()) {
            throw new IllegalArgumentException("catalog model " + id + " needs true or false in supports_dimensions");
        }
        return new EmbeddingSpec(integer(m, "dimensions", id), integer(m, "max_input_tokens", id),
                supports != null && supports.asBoolean());
    }

    private static String text(JsonNode node, String field, String model) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(
                    "catalog " + (model == null ? "entry" : "model " + model) + " needs a string field " + field);
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String field, String model) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("catalog model " + model + " needs an integer field " + field);
        }
        return value.asInt();
    }
}
