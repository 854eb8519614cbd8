package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.functions.config.UpstreamConfig;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamWiringTest {

    @Test
    void upstreamsAreConfiguredByPropertiesAlone() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "tollgate.upstreams.groq.base-url", "https://api.groq.com/openai/v1",
                "tollgate.upstreams.groq.api-key", "gsk_test"))) {
            var names = context.getBeansOfType(UpstreamConfig.class).stream().map(UpstreamConfig::getName).sorted().toList();
            assertThat(names).containsExactly("groq", "ollama");
            UpstreamConfig groq = context.getBeansOfType(UpstreamConfig.class).stream()
                    .filter(u -> u.getName().equals("groq")).findFirst().orElseThrow();
            assertThat(groq.toSettings().apiKey()).isEqualTo("gsk_test");
            assertThat(groq.toSettings().resolve("chat/completions").toString())
                    .isEqualTo("https://api.groq.com/openai/v1/chat/completions");
        }
    }

    @Test
    void theResponsesApiIsChosenPerUpstreamAndOnlyForOpenAiCompatibleOnes() {
        UpstreamConfig openai = new UpstreamConfig("openai");
        openai.setBaseUrl(java.net.URI.create("https://api.openai.com/v1"));
        assertThat(openai.usesResponsesApi()).as("chat by default").isFalse();
        openai.setApi(" Responses ");
        assertThat(openai.usesResponsesApi()).isTrue();
        assertThat(openai.toSettings().resolve("responses").toString()).isEqualTo("https://api.openai.com/v1/responses");

        UpstreamConfig claude = new UpstreamConfig("claude");
        claude.setKind("anthropic");
        claude.setApi("responses");
        assertThatThrownBy(claude::toSettings).hasMessageContaining("tollgate.upstreams.claude.api is 'responses'");
        openai.setApi("completions");
        assertThatThrownBy(openai::toSettings).hasMessageContaining("use chat, or responses");
    }
}
