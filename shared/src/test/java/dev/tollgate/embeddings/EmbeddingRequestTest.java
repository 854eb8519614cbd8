package dev.tollgate.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.error.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The four OpenAI {@code input} shapes, the limits OpenAI enforces, and a 400 naming the field otherwise. */
class EmbeddingRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStringIsOneTextInput() {
        EmbeddingRequest r = parse("{\"model\":\"m\",\"input\":\"hello\"}");

        assertThat(r.model()).isEqualTo("m");
        assertThat(r.inputs()).containsExactly(new EmbeddingInput.Text("hello"));
        assertThat(r.format()).isEqualTo(EncodingFormat.FLOAT);
        assertThat(r.dimensions()).isNull();
        assertThat(r.label(0)).isEqualTo("The input");
    }

    @Test
    void anArrayOfStringsKeepsItsOrder() {
        EmbeddingRequest r = parse("{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"],\"encoding_format\":\"base64\"}");

        assertThat(r.inputs()).extracting(i -> ((EmbeddingInput.Text) i).text()).containsExactly("a", "b", "c");
        assertThat(r.format()).isEqualTo(EncodingFormat.BASE64);
        assertThat(r.label(2)).isEqualTo("input[2]");
    }

    @Test
    void anArrayOfIntegersIsOneTokenInputAndAnArrayOfArraysIsSeveral() {
        EmbeddingRequest one = parse("{\"model\":\"m\",\"input\":[7592,2088]}");
        EmbeddingRequest two = parse("{\"model\":\"m\",\"input\":[[7592],[2088,999]]}");

        assertThat(one.inputs()).singleElement().satisfies(i ->
                assertThat(((EmbeddingInput.Tokens) i).ids()).containsExactly(7592, 2088));
        assertThat(two.inputs()).hasSize(2);
        assertThat(((EmbeddingInput.Tokens) two.inputs().get(1)).ids()).containsExactly(2088, 999);
    }

    @Test
    void unknownFieldsAreKeptInTheBodyAndDimensionsAreRead() {
        EmbeddingRequest r = parse("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":256,\"user\":\"u1\",\"truncate\":true}");

        assertThat(r.dimensions()).isEqualTo(256);
        assertThat(r.body().get("truncate").asBoolean()).isTrue();
        assertThat(r.body().get("user").asText()).isEqualTo("u1");
    }

    @Test
    void twoThousandFortyEightInputsAreAcceptedAndOneMoreIsNot() {
        assertThat(parse(body(2048)).inputs()).hasSize(2048);

        ApiException e = refused(body(2049));
        assertThat(e.param()).isEqualTo("input");
        assertThat(e.getMessage()).contains("2049").contains("2048");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing input       | {\"model\":\"m\"}                                   | input",
            "empty string        | {\"model\":\"m\",\"input\":\"\"}                    | input",
            "empty array         | {\"model\":\"m\",\"input\":[]}                      | input",
            "empty item          | {\"model\":\"m\",\"input\":[\"a\",\"\"]}            | input",
            "mixed shapes        | {\"model\":\"m\",\"input\":[\"a\",[1]]}             | input",
            "object input        | {\"model\":\"m\",\"input\":{\"text\":\"a\"}}        | input",
            "negative token      | {\"model\":\"m\",\"input\":[1,-2]}                  | input",
            "fractional token    | {\"model\":\"m\",\"input\":[[1.5]]}                 | input",
            "empty token array   | {\"model\":\"m\",\"input\":[[]]}                    | input",
            "bad format          | {\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"int8\"} | encoding_format",
            "zero dimensions     | {\"model\":\"m\",\"input\":\"a\",\"dimensions\":0}  | dimensions",
            "string dimensions   | {\"model\":\"m\",\"input\":\"a\",\"dimensions\":\"8\"} | dimensions",
            "missing model       | {\"input\":\"a\"}                                  | model",
    })
    void invalidRequestsAreA400NamingTheField(String name, String json, String param) {
        ApiException e = refused(json);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo(param);
        assertThat(e.getMessage()).isNotBlank();
    }

    private static String body(int inputs) {
        StringBuilder b = new StringBuilder("{\"model\":\"m\",\"input\":[");
        for (int i = 0; i < inputs; i++) {
            b.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        return b.append("]}").toString();
    }

    private static EmbeddingRequest parse(String json) {
        return EmbeddingRequest.parse(json.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static ApiException refused(String json) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(json));
        assertThat(e).as(json).isNotNull();
        return e;
    }
}
