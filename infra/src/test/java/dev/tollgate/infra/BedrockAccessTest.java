package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.assertions.Template;

/**
 * A stack with a Bedrock upstream: the chat function may invoke exactly the Bedrock models of the deployed catalog,
 * and only the chat function; the upstream's kind and region reach the functions' environment.
 */
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class BedrockAccessTest {

    @Test
    @SuppressWarnings("unchecked")
    void chatMayInvokeExactlyTheCatalogsBedrockModels() {
        TemplateJson stack = new TemplateJson(Template.fromStack(Synth.stack(Map.of(
                "upstreams", Map.of("ollama", "https://ollama.example.com/v1", "groq", "https://api.groq.com/openai/v1",
                        "bedrock", "bedrock:eu-west-1", "claude", "anthropic:https://api.anthropic.com",
                        "openai", "responses:https://api.openai.com/v1"),
                "catalogOverlay", "src/test/resources/catalog/bedrock-overlay.json"))));

        List<String> bedrockStatements = new ArrayList<>();
        stack.ofType("AWS::IAM::Policy").forEach((id, policy) -> {
            for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement")) {
                if (TemplateJson.actions(statement).stream().anyMatch(a -> a.startsWith("bedrock:"))) {
                    bedrockStatements.add(id + " " + TemplateJson.json(statement));
                }
            }
        });
        assertThat(bedrockStatements).hasSize(1);
        String statement = bedrockStatements.getFirst();
        assertThat(statement).contains("Chat")
                .contains("\"bedrock:InvokeModel\"").contains("\"bedrock:InvokeModelWithResponseStream\"")
                .contains(":bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0")
                .contains(":inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .contains(":bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0")
                .doesNotContain("llama").doesNotContain("\"*\"");

        Map<String, Object> env = stack.environment("tollgate-test-chat");
        assertThat(env).containsEntry("TOLLGATE_UPSTREAMS_BEDROCK_KIND", "bedrock")
                .containsEntry("TOLLGATE_UPSTREAMS_BEDROCK_REGION", "eu-west-1")
                .containsEntry("TOLLGATE_UPSTREAMS_CLAUDE_KIND", "anthropic")
                .containsEntry("TOLLGATE_UPSTREAMS_CLAUDE_BASE_URL", "https://api.anthropic.com")
                .containsEntry("TOLLGATE_UPSTREAMS_OPENAI_API", "responses")
                .containsEntry("TOLLGATE_UPSTREAMS_OPENAI_BASE_URL", "https://api.openai.com/v1")
                .doesNotContainKey("TOLLGATE_UPSTREAMS_OPENAI_KIND")
                .doesNotContainKey("TOLLGATE_UPSTREAMS_BEDROCK_BASE_URL");
    }
}
