package dev.tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.money.Money;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default catalog holds the models DESIGN.md publishes, priced exactly; overlays replace and add. */
class CatalogLoaderTest {

    private static final Catalog DEFAULT = CatalogLoader.loadDefault();

    @Test
    void defaultCatalogHoldsExactlyTheFivePublishedModelsInOrder() {
        assertThat(DEFAULT.models()).filteredOn(m -> m.supports("chat")).extracting(ModelEntry::id).containsExactly(
                "qwen3:latest", "gemma3:1b", "qwen3-vl:235b-cloud", "deepseek-v3.1:671b-cloud", "qwen/qwen3-coder:free");
        assertThat(DEFAULT.version()).isEqualTo(1);
    }

    // Prices and contexts from the DESIGN.md table "Model catalog and upstreams", in µ$ per million tokens.
    @ParameterizedTest(name = "{0}: {1}/{2} µ$/M, context {3}")
    @CsvSource({
            "qwen3:latest,             200000, 600000,  32768",
            "gemma3:1b,                50000,  100000,  4096",
            "qwen3-vl:235b-cloud,      500000, 1500000, 32768",
            "deepseek-v3.1:671b-cloud, 350000, 900000,  65536",
            "qwen/qwen3-coder:free,    0,      0,       32768",
    })
    void publishedModelHasExactPriceContextAndUpstream(String id, long inputMicros, long outputMicros, int context) {
        ModelEntry model = DEFAULT.find(id).orElseThrow();
        assertThat(model.pricing().input().microsPerMillion()).isEqualTo(inputMicros);
        assertThat(model.pricing().output().microsPerMillion()).isEqualTo(outputMicros);
        assertThat(model.contextLength()).isEqualTo(context);
        assertThat(model.upstream()).isEqualTo("ollama");
        assertThat(model.maxOutputTokens()).isPositive().isLessThanOrEqualTo(context);
        assertThat(model.supports("chat")).isTrue();
        assertThat(model.isFree()).isEqualTo(inputMicros == 0 && outputMicros == 0);
    }

    @Test
    void onlyTheCoderModelIsFree() {
        assertThat(DEFAULT.models()).filteredOn(ModelEntry::isFree).extracting(ModelEntry::id)
                .containsExactly("qwen/qwen3-coder:free");
        ModelEntry free = DEFAULT.find("qwen/qwen3-coder:free").orElseThrow();
        assertThat(free.pricing().cost(100_000, 100_000)).isEqualTo(Money.ZERO);
        assertThat(free.upstreamModel()).isEqualTo("qwen3-coder:latest");
    }

    @Test
    void cacheReadAndWritePricesDefaultToTheInputPriceAndAreReadWhenStated() throws Exception {
        String json = """
                {"version":1,"models":[
                 {"id":"a","upstream":"u","context_length":1000,"max_output_tokens":100,
                  "pricing":{"input_per_million_usd":"3.00","output_per_million_usd":"15.00"}},
                 {"id":"b","upstream":"u","context_length":1000,"max_output_tokens":100,
                  "pricing":{"input_per_million_usd":"3.00","output_per_million_usd":"15.00",
                   "cached_input_per_million_usd":"0.30","cache_write_per_million_usd":"3.75"}}]}""";
        Catalog catalog = CatalogLoader.parse(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        var plain = catalog.find("a").orElseThrow().pricing();
        assertThat(plain.cachedInput()).isEqualTo(plain.input());
        assertThat(plain.cacheWrite()).isEqualTo(plain.input());
        var cached = catalog.find("b").orElseThrow().pricing();
        assertThat(cached.cachedInput().microsPerMillion()).isEqualTo(300_000);
        assertThat(cached.cacheWrite().microsPerMillion()).isEqualTo(3_750_000);
    }

    @Test
    void visionModelAdvertisesVision() {
        assertThat(DEFAULT.find("qwen3-vl:235b-cloud").orElseThrow().supports("vision")).isTrue();
        assertThat(DEFAULT.find("gemma3:1b").orElseThrow().supports("vision")).isFalse();
    }

    @Test
    void unknownModelIsNotFound() {
        assertThat(DEFAULT.find("gpt-4o")).isEmpty();
    }

    @Test
    void overlayReplacesSameIdAndAddsNewOnes() throws Exception {
        Catalog catalog = CatalogLoader.loadWithOverlays(List.of(resource("/catalog/overlay.json")));

        // Replaced entries keep their place; new ones come after.
        assertThat(catalog.models()).filteredOn(m -> m.supports("chat")).extracting(ModelEntry::id).containsExactly(
                "qwen3:latest", "gemma3:1b", "qwen3-vl:235b-cloud", "deepseek-v3.1:671b-cloud", "qwen/qwen3-coder:free",
                "llama3.1:8b");

        ModelEntry qwen = catalog.find("qwen3:latest").orElseThrow();
        assertThat(qwen.upstream()).isEqualTo("vllm");
        assertThat(qwen.upstreamModel()).isEqualTo("Qwen/Qwen3-8B");
        assertThat(qwen.contextLength()).isEqualTo(40960);
        assertThat(qwen.pricing().input().microsPerMillion()).isEqualTo(250_000);
        assertThat(qwen.pricing().output().microsPerMillion()).isEqualTo(750_000);
        assertThat(qwen.supports("reasoning")).as("the overlay replaces the entry whole, not field by field").isFalse();

        ModelEntry llama = catalog.find("llama3.1:8b").orElseThrow();
        assertThat(llama.upstreamModel()).as("upstream_model defaults to the public id").isEqualTo("llama3.1:8b");
        assertThat(llama.ownedBy()).isEqualTo("tollgate");
        assertThat(llama.tokenizer()).isEqualTo("o200k_base");
        assertThat(llama.pricing().input().microsPerMillion()).isEqualTo(30_000);

        // Untouched defaults stay as they were.
        assertThat(catalog.find("gemma3:1b").orElseThrow()).isEqualTo(DEFAULT.find("gemma3:1b").orElseThrow());
    }

    @Test
    void overlayMayFallBackToAModelOfTheDefaultCatalog() throws Exception {
        // A deployment adding a model should be able to fall back to a default model without repeating it:
        // fallbacks must be checked on the merged catalog, not on each file alone.
        Catalog catalog = CatalogLoader.loadWithOverlays(List.of(resource("/catalog/overlay-fallback-to-default.json")));

        assertThat(catalog.find("gemma3:1b-vllm").orElseThrow().fallbacks()).containsExactly("gemma3:1b");
    }

    @Test
    void missingPricingFailsNamingTheModelAndField() throws Exception {
        assertThatThrownBy(() -> parse("/catalog/broken-missing-pricing.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priceless-model")
                .hasMessageContaining("input_per_million_usd")
                .hasMessageNotContaining("good-model");
    }

    @Test
    void unknownFallbackFailsNamingTheModelAndTheFallback() {
        assertThatThrownBy(() -> parse("/catalog/broken-unknown-fallback.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lonely-model")
                .hasMessageContaining("no-such-model");
    }

    @Test
    void unknownFallbackInAnOverlayFailsTheLoad() throws Exception {
        Path broken = resource("/catalog/broken-unknown-fallback.json");
        assertThatThrownBy(() -> CatalogLoader.loadWithOverlays(List.of(broken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lonely-model");
    }

    @Test
    void priceAsJsonNumberIsRefusedRatherThanReadThroughFloatingPoint() {
        assertThatThrownBy(() -> parse("/catalog/broken-price-format.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float-priced-model")
                .hasMessageContaining("input_per_million_usd");
    }

    @Test
    void missingOverlayFileFailsNamingTheFile() {
        Path missing = Path.of("does-not-exist", "catalog.json");
        assertThatThrownBy(() -> CatalogLoader.loadWithOverlays(List.of(missing)))
                .hasMessageContaining(missing.toString());
    }

    private static Catalog parse(String resource) throws Exception {
        try (InputStream in = CatalogLoaderTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return CatalogLoader.parse(in);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(CatalogLoaderTest.class.getResource(name).toURI());
    }
}
