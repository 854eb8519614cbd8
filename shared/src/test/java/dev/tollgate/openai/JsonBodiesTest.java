package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.money.Money;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies Jackson refuses become a 400 that says why, including those whose error has no location. */
class JsonBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLE = "{\"model\": \"m\"}";

    @Test
    void jsonNestedDeeperThanJacksonsLimitIsA400NotANullPointer() {
        String deep = "{\"model\":\"m\",\"extra\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
        ApiException e = refused(deep);
        assertThat(e.getMessage()).contains("nesting depth").contains("exceeds the maximum allowed (1000)")
                .doesNotContain("StreamReadConstraints").contains(EXAMPLE);
    }

    @Test
    void aNumberLongerThanJacksonsLimitIsA400() {
        assertThat(refused("{\"n\":" + "9".repeat(5000) + "}").getMessage()).contains("Number value length");
    }

    @Test
    void anythingAfterTheObjectIsRefused() {
        assertThat(refused("{\"model\":\"m\"}garbage").getMessage()).contains("Unrecognized token 'garbage'");
        assertThat(refused("{\"model\":\"m\"}{\"model\":\"n\"}").getMessage()).contains("Trailing token");
        assertThat(JsonBodies.object("{\"model\":\"m\"}\r\n ".getBytes(StandardCharsets.UTF_8), JSON, EXAMPLE))
                .as("trailing whitespace is fine").hasSize(1);
    }

    @Test
    void anInvalidByteInAFieldNameCannotPassForAFieldJacksonHasSeenBefore() {
        // Jackson pads a name's last bytes with 0xFF for its symbol table: "referenc\xFFe" found "reference".
        ObjectMapper shared = new ObjectMapper();
        JsonBodies.object("{\"reference\":\"r\"}".getBytes(StandardCharsets.UTF_8), shared, EXAMPLE);
        byte[] aliased = "{\"referenc?e\":\"r\"}".getBytes(StandardCharsets.US_ASCII);
        aliased[10] = (byte) 0xFF;
        ApiException e = catchThrowableOfType(ApiException.class, () -> JsonBodies.object(aliased, shared, EXAMPLE));
        assertThat(e.getMessage()).contains("not valid UTF-8 (byte 0xFF at offset 10)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "E08080", "EDA080", "F4908080", "F5", "80", "C3", "E282", "F09F98"})
    void malformedUtf8IsRefused(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] body = new byte[bad.length + 14];
        byte[] head = "{\"model\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        body[head.length + bad.length] = '"';
        body[head.length + bad.length + 1] = '}';
        byte[] exact = java.util.Arrays.copyOf(body, head.length + bad.length + 2);
        assertThat(Utf8.firstInvalid(exact)).isGreaterThanOrEqualTo(head.length);
    }

    @Test
    void wellFormedUtf8InEveryLengthPasses() {
        String text = "{\"model\":\"a\u00e9\u20ac\ud83d\ude80\ud7ff\ue000\uffff\udbff\udfff\"}";
        assertThat(Utf8.firstInvalid(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(JsonBodies.object(text.getBytes(StandardCharsets.UTF_8), JSON, EXAMPLE).get("model").asText())
                .isEqualTo(text.substring(10, text.length() - 2));
    }

    @Test
    void ordinarySyntaxErrorsStillSayWhere() {
        assertThat(refused("{\"model\": }").getMessage()).contains("at line 1, column 11");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999999999", "1e400", "123456789012345678901234567890", "1e-7"})
    void amountsNoOneCouldMeanAreRefusedWithoutPrintingThem(String amount) throws Exception {
        for (ObjectMapper mapper : new ObjectMapper[] {JSON, new ObjectMapper().enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)}) {
            var body = JsonBodies.object(("{\"amount_usd\":" + amount + "}").getBytes(StandardCharsets.UTF_8), mapper, EXAMPLE);
            ApiException e = catchThrowableOfType(ApiException.class, () -> JsonBodies.requireDollars(body, "amount_usd"));
            assertThat(e.param()).isEqualTo("amount_usd");
            assertThat(e.getMessage().length()).as("no billion-digit number in the message").isLessThan(300);
        }
    }

    @Test
    void plainAmountsStillParse() throws Exception {
        var body = JsonBodies.object("{\"a\":2.5,\"b\":\"0.000001\",\"c\":5E+1}".getBytes(StandardCharsets.UTF_8), JSON, EXAMPLE);
        assertThat(JsonBodies.requireDollars(body, "a")).isEqualTo(Money.parseDollars("2.5"));
        assertThat(JsonBodies.requireDollars(body, "b")).isEqualTo(Money.ofMicros(1));
        assertThat(JsonBodies.requireDollars(body, "c")).isEqualTo(Money.parseDollars("50"));
    }

    private static ApiException refused(String body) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> JsonBodies.object(body.getBytes(StandardCharsets.UTF_8), JSON, EXAMPLE));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e.getMessage()).startsWith("The request body is");
        return e;
    }
}
