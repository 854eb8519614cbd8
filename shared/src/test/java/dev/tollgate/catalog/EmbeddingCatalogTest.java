package dev.tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Embedding models in the catalog: price, vector size and input limit, read additively beside chat models. */
class EmbeddingCatalogTest {

    private static final Catalog DEFAULT = CatalogLoader.loadDefault();

    @Test
    void theDefaultCatalogServesAnInProcessAndAnUpstreamEmbeddingModel() {
        assertThat(DEFAULT.models()).filteredOn(m -> m.supports("embeddings")).extracting(ModelEntry::id)
                .containsExactly("all-minilm-l6-v2", "nomic-embed-text");

        ModelEntry miniLm = DEFAULT.find("all-minilm-l6-v2").orElseThrow();
        assertThat(miniLm.upstream()).isEqualTo("in-process");
        assertThat(miniLm.upstreamModel()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(miniLm.embedding()).isEqualTo(new EmbeddingSpec(384, 256, false));
        assertThat(miniLm.pricing().input().microsPerMillion()).isEqualTo(5_000); // $0.005 per million tokens
        assertThat(miniLm.contextLength()).as("defaults to max_input_tokens").isEqualTo(256);
        assertThat(miniLm.maxOutputTokens()).isZero();
        assertThat(miniLm.supports("chat")).isFalse();

        ModelEntry nomic = DEFAULT.find("nomic-embed-text").orElseThrow();
        assertThat(nomic.upstream()).isEqualTo("ollama");
        assertThat(nomic.embedding()).isEqualTo(new EmbeddingSpec(768, 2048, false));
        assertThat(nomic.pricing().input().microsPerMillion()).isEqualTo(10_000);
    }

    @Test
    void chatModelsHaveNoEmbeddingSpec() {
        assertThat(DEFAULT.find("qwen3:latest").orElseThrow().embedding()).isNull();
    }

    @Test
    void anEmbeddingsModelWithoutDimensionsFailsNamingTheModelAndField() {
        assertThatThrownBy(() -> parse("{\"models\":[{\"id\":\"vectorless\",\"upstream\":\"x\",\"max_input_tokens\":512,"
                + "\"capabilities\":[\"embeddings\"],\"pricing\":{\"input_per_million_usd\":\"0.01\",\"output_per_million_usd\":\"0\"}}]}"))
                .hasMessageContaining("vectorless").hasMessageContaining("dimensions");
    }

    @Test
    void aChatModelStillNeedsItsOutputCap() {
        assertThatThrownBy(() -> parse("{\"models\":[{\"id\":\"capless\",\"upstream\":\"x\",\"context_length\":4096,"
                + "\"capabilities\":[\"chat\"],\"pricing\":{\"input_per_million_usd\":\"0.01\",\"output_per_million_usd\":\"0\"}}]}"))
                .hasMessageContaining("capless").hasMessageContaining("max_output_tokens");
    }

    @Test
    void supportsDimensionsIsReadWhenPresent() throws Exception {
        Catalog catalog = parse("{\"models\":[{\"id\":\"mrl\",\"upstream\":\"x\",\"dimensions\":1536,\"max_input_tokens\":8191,"
                + "\"supports_dimensions\":true,\"capabilities\":[\"embeddings\"],"
                + "\"pricing\":{\"input_per_million_usd\":\"0.02\",\"output_per_million_usd\":\"0\"}}]}");

        assertThat(catalog.find("mrl").orElseThrow().embedding()).isEqualTo(new EmbeddingSpec(1536, 8191, true));
    }

    private static Catalog parse(String json) throws Exception {
        return CatalogLoader.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
