package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.upstream.UpstreamHealth;
import dev.tollgate.upstream.UpstreamHealth.State;
import dev.tollgate.upstream.UpstreamHealth.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start banner's upstream lines: what answered, which catalog models it serves, and what to do otherwise. */
class BannerTest {

    static final Catalog CATALOG = CatalogLoader.loadDefault();
    static final String OLLAMA = "http://localhost:11434/v1";

    @Test
    void anUpstreamThatAnsweredListsTheCatalogModelsItServes() {
        List<String> lines = Banner.upstreams(List.of(up(List.of("gemma3:1b", "qwen3:latest", "llama3:8b"))), CATALOG);

        assertThat(lines).containsExactly("ollama at " + OLLAMA + " answered; serves qwen3:latest, gemma3:1b");
    }

    @Test
    void ollamaWithoutTheCatalogsModelsIsToldWhichToPull() {
        List<String> lines = Banner.upstreams(List.of(up(List.of("llama3:8b"))), CATALOG);

        assertThat(lines).containsExactly(
                "ollama at " + OLLAMA + " answered, but has none of the catalog's models for it (its models: llama3:8b).",
                "  Pull one: ollama pull gemma3:1b");
    }

    @Test
    void ollamaThatDidNotAnswerIsToldHowToStartAndWhatToSet() {
        Status down = new Status("ollama", OLLAMA, State.DOWN, Instant.EPOCH, "connection refused", List.of());

        List<String> lines = Banner.upstreams(List.of(down), CATALOG);

        assertThat(lines).containsExactly(
                "ollama at " + OLLAMA + " did not answer (connection refused); its models will answer 503.",
                "  Start Ollama (https://ollama.com/download): ollama serve, then: ollama pull gemma3:1b",
                "  Or point TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL at any OpenAI-compatible server, and restart.");
    }

    @Test
    void anotherServerThatDidNotAnswerGetsNoOllamaAdvice() {
        Status down = new Status("groq-eu", "https://api.groq.com/openai/v1", State.DOWN, Instant.EPOCH, "timed out", List.of());

        assertThat(Banner.upstreams(List.of(down), CATALOG)).containsExactly(
                "groq-eu at https://api.groq.com/openai/v1 did not answer (timed out); its models will answer 503.",
                "  Or point TOLLGATE_UPSTREAMS_GROQ_EU_BASE_URL at any OpenAI-compatible server, and restart.");
    }

    @Test
    void theBannerShowsTheConsoleUrl() {
        String banner = Banner.render(8080, "sk-tg-demo", "sk-tg-demo", "adm_x", List.of());

        assertThat(banner).contains(" Console: http://localhost:8080/console (sign in with the demo key");
    }

    private static Status up(List<String> models) {
        return new Status("ollama", OLLAMA, State.UP, Instant.EPOCH, null, models);
    }
}
