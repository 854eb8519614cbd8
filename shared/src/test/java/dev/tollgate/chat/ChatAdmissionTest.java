package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.openai.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Everything in a chat request that makes the upstream do more work is counted in the hold, dropped, or refused
 * with a 400 naming it (issue: close every way a request can use more than it paid for).
 */
class ChatAdmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog DEFAULTS = CatalogLoader.loadDefault();
    private static final ModelEntry GEMMA = DEFAULTS.find("gemma3:1b").orElseThrow();
    private static final ModelEntry VISION = DEFAULTS.find("qwen3-vl:235b-cloud").orElseThrow();
    private static final Catalog POLICIES = policies();
    private static final ModelEntry MULTI = POLICIES.find("test/multi").orElseThrow();
    private static final ModelEntry NO_MAX_TOKENS = POLICIES.find("test/openai-reasoning").orElseThrow();
    private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    private static final String PNG = "data:image/png;base64,iVBORw0KGgo=";

    private final ChatAdmission admission = new ChatAdmission(new TokenCounter());

    @Test
    void nMultipliesTheOutputBoundWhereTheModelTakesSeveralChoices() {
        ChatLimits limits = admit(MULTI, "{\"model\":\"m\"," + USER + ",\"n\":4,\"max_tokens\":100}");
        assertThat(limits.choices()).isEqualTo(4);
        assertThat(limits.maxOutputPerChoice()).isEqualTo(100);
        assertThat(limits.outputBound()).isEqualTo(400);
    }

    @Test
    void bestOfCountsEveryCompletionGeneratedNotOnlyThoseReturned() {
        ChatLimits limits = admit(MULTI, "{\"model\":\"m\"," + USER + ",\"n\":1,\"best_of\":3,\"max_tokens\":10}");
        assertThat(limits.outputBound()).isEqualTo(30);
    }

    @Test
    void nAboveWhatTheCatalogAllowsIsRefusedNamingN() {
        assertRefused(GEMMA, "{\"model\":\"m\"," + USER + ",\"n\":4}", "n", "at most 1 completion");
        assertRefused(MULTI, "{\"model\":\"m\"," + USER + ",\"n\":2,\"best_of\":5}", "best_of", "asked for 5");
    }

    @Test
    void bestOfBelowNIsRefusedWhenParsed() {
        assertThatThrownBy(() -> parse("{\"model\":\"m\"," + USER + ",\"n\":3,\"best_of\":2}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("best_of"));
    }

    @Test
    void lengthKnobsAreDroppedByDefaultAndPassWhereTheCatalogSays() {
        String body = "{\"model\":\"m\"," + USER + ",\"n_predict\":-1,\"num_predict\":-1,\"max_new_tokens\":9}";
        assertThat(admit(GEMMA, body).droppedFields()).containsExactlyInAnyOrder("n_predict", "num_predict", "max_new_tokens");
        assertThat(admit(MULTI, body).droppedFields()).containsExactlyInAnyOrder("num_predict", "max_new_tokens");
    }

    @Test
    void aCustomChatTemplateIsRefusedByDefault() {
        assertRefused(GEMMA, "{\"model\":\"m\"," + USER + ",\"chat_template\":\"{{ messages }}\"}", "chat_template",
                "changes how the prompt is built");
        assertRefused(GEMMA, "{\"model\":\"m\"," + USER + ",\"mm_processor_kwargs\":{\"max_pixels\":99999999}}",
                "mm_processor_kwargs", "Remove it");
        assertThat(admit(MULTI, "{\"model\":\"m\"," + USER + ",\"chat_template\":\"x\"}").droppedFields())
                .contains("chat_template");
        assertRefused(MULTI, "{\"model\":\"m\"," + USER + ",\"top_k\":5}", "top_k", "Remove it");
    }

    @Test
    void imagePartsAreRefusedByModelsWithoutVision() {
        assertRefused(GEMMA, image(PNG), "messages[0].content[1]", "does not accept image input");
    }

    @Test
    void imagePartsAreHeldAtTheModelsOwnBound() {
        int withoutImage = admit(VISION, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"What is this?\"}]}]}").promptTokens();
        int withImage = admit(VISION, image(PNG)).promptTokens();
        assertThat(withImage - withoutImage).isEqualTo(VISION.policy().tokensPer("image")).isEqualTo(16_384);
    }

    @Test
    void remoteMediaIsRefusedUnlessTheCatalogAllowsIt() {
        assertRefused(VISION, image("https://example.com/cat.png"), "messages[0].content[1]", "data: URLs");
        assertThat(admit(MULTI, image("https://example.com/cat.png")).promptTokens()).isGreaterThan(2000);
    }

    @Test
    void audioAndVideoPartsNeedABoundInTheCatalog() {
        String audio = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
                + "\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}]}]}";
        String video = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video_url\","
                + "\"video_url\":{\"url\":\"https://example.com/v.mp4\"}}]}]}";
        assertRefused(VISION, audio, "messages[0].content[0]", "does not accept audio input");
        assertRefused(VISION, video, "messages[0].content[0]", "does not accept video input");
        assertThat(admit(MULTI, audio).promptTokens()).isGreaterThanOrEqualTo(1500);
        assertRefused(MULTI, video, "messages[0].content[0]", "does not accept video input");
    }

    @Test
    void fileLinksAreFetchesTooAndAreRefusedWithoutRemoteMedia() {
        String file = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\","
                + "\"file\":{\"file_url\":\"https://example.com/big.pdf\"}}]}]}";
        assertRefused(GEMMA, file, "messages[0].content[0]", "data: URLs");
        assertThat(admit(MULTI, file).promptTokens()).isPositive();
    }

    @Test
    void theOutputBoundIsClampedToTheModelAndTheContextLeft() {
        assertThat(admit(GEMMA, "{\"model\":\"m\"," + USER + ",\"max_tokens\":100000}").maxOutputPerChoice()).isEqualTo(2048);
        assertThat(admit(GEMMA, "{\"model\":\"m\"," + USER + ",\"max_completion_tokens\":7}").maxOutputPerChoice()).isEqualTo(7);
        String huge = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(5000) + "\"}]}";
        assertRefused(GEMMA, huge, "messages", "maximum context length");
    }

    @Test
    void aModelWhoseServerRefusesMaxTokensGetsOnlyMaxCompletionTokens() {
        ChatRequest request = parse("{\"model\":\"m\"," + USER + ",\"max_tokens\":50}");
        ObjectNode upstream = ChatWire.toUpstream(request, NO_MAX_TOKENS, admission.admit(request, NO_MAX_TOKENS));
        assertThat(upstream.has("max_tokens")).isFalse();
        assertThat(upstream.get("max_completion_tokens").asInt()).isEqualTo(50);
    }

    private ChatLimits admit(ModelEntry model, String body) {
        return admission.admit(parse(body), model);
    }

    private void assertRefused(ModelEntry model, String body, String param, String message) {
        assertThatThrownBy(() -> admit(model, body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code().status()).isEqualTo(400);
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static String image(String url) {
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}]}]}";
    }

    private static ChatRequest parse(String body) {
        return ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static Catalog policies() {
        try (InputStream in = ChatAdmissionTest.class.getResourceAsStream("/catalog/policies.json")) {
            return CatalogLoader.parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
