package dev.tollgate.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Settlement;
import dev.tollgate.error.ApiException;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embeddings wire format: list shape, base64 exactly as OpenAI encodes it, usage with cost. */
class EmbeddingWireTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void base64IsLittleEndianFloat32() {
        // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, little-endian: 00 00 80 3F 00 00 00 C0.
        assertThat(EmbeddingWire.base64(new float[] {1.0f, -2.0f})).isEqualTo("AACAPwAAAMA=");
        assertThat(EmbeddingWire.fromBase64("AACAPwAAAMA=")).containsExactly(1.0f, -2.0f);
    }

    @Test
    void base64RoundTripsEveryFloatBitForBit() {
        float[] v = {0.1f, -0.33333334f, Float.MIN_VALUE, 1e-30f, 0.9999999f};

        assertThat(EmbeddingWire.fromBase64(EmbeddingWire.base64(v))).containsExactly(v);
    }

    @Test
    void listHasAnIndexPerInputInOrder() {
        ObjectNode list = EmbeddingWire.list(List.of(new float[] {1, 0}, new float[] {0, 1}), EncodingFormat.FLOAT, "m");

        assertThat(list.toString()).isEqualTo("{\"object\":\"list\",\"data\":["
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[1.0,0.0]},"
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.0,1.0]}],\"model\":\"m\"}");
    }

    @Test
    void usageCarriesPromptAndTotalTokensAndTheCost() {
        ObjectNode response = JSON.createObjectNode();
        EmbeddingWire.putUsage(response, new TokenUsage(12, 0, 0, 0, false),
                new Settlement(Money.ofMicros(3), Money.ZERO, Money.parseDollars("4.5"), false), "req_1");

        assertThat(response.get("usage").toString()).isEqualTo("{\"prompt_tokens\":12,\"total_tokens\":12,\"cost\":\"0.000003\"}");
        assertThat(response.at("/tollgate/balance_usd").asText()).isEqualTo("4.500000");
        assertThat(response.at("/tollgate/request_id").asText()).isEqualTo("req_1");
        assertThat(response.at("/tollgate/usage_counted_by").isMissingNode()).isTrue();
    }

    @Test
    void shortenedVectorsAreUnitLengthAgain() {
        float[] v = EmbeddingWire.shorten(new float[] {0.6f, 0.0f, 0.8f}, 2);

        assertThat(v).hasSize(2);
        assertThat(v[0]).isCloseTo(1.0f, within(1e-6f));
    }

    @Test
    void upstreamFloatsBecomeBase64WhenTheCallerAskedForBase64AndBack() {
        byte[] floats = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[1.0,-2.0]}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] base64 = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":\"AACAPwAAAMA=\"}]}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(EmbeddingWire.fromUpstream(floats, EncodingFormat.BASE64, JSON, "m").at("/data/0/embedding").asText())
                .isEqualTo("AACAPwAAAMA=");
        assertThat(EmbeddingWire.fromUpstream(base64, EncodingFormat.FLOAT, JSON, "m").at("/data/0/embedding").toString())
                .isEqualTo("[1.0,-2.0]");
    }

    @Test
    void anUpstreamAnswerThatIsNotAListIsA502() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> EmbeddingWire.fromUpstream(
                "<html>".getBytes(StandardCharsets.UTF_8), EncodingFormat.FLOAT, JSON, "m"));

        assertThat(e.status()).isEqualTo(502);
    }
}
