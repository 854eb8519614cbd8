package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpendControlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode body(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void noneWhenNothingIsSent() throws Exception {
        assertThat(SpendControls.of(body("{}"), null)).isEqualTo(SpendControls.NONE);
    }

    @Test
    void theCeilingIsReadExactlyFromANumberOrAString() throws Exception {
        assertThat(SpendControls.of(body("{\"max_cost_usd\": 0.05}"), null).maxCost()).isEqualTo(Money.ofMicros(50_000));
        assertThat(SpendControls.of(body("{\"max_cost_usd\": \"0.000001\"}"), null).maxCost()).isEqualTo(Money.ofMicros(1));
    }

    @Test
    void theLowerOfBodyAndHeaderWinsAndIsNamed() throws Exception {
        SpendControls header = SpendControls.of(body("{\"max_cost_usd\": 1}"), new SpendControls.Headers(" 0.5 ", null));
        assertThat(header.maxCost()).isEqualTo(Money.parseDollars("0.5"));
        assertThat(header.param()).isEqualTo("x-tollgate-max-cost-usd");
        SpendControls field = SpendControls.of(body("{\"max_cost_usd\": 0.2}"), new SpendControls.Headers("0.5", null));
        assertThat(field.param()).isEqualTo("max_cost_usd");
    }

    @Test
    void affordModeFromEitherPlace() throws Exception {
        assertThat(SpendControls.of(body("{\"tollgate\": {\"afford\": \"clamp\"}}"), null).clamp()).isTrue();
        assertThat(SpendControls.of(body("{}"), new SpendControls.Headers(null, "Clamp")).clamp()).isTrue();
        assertThat(SpendControls.of(body("{\"tollgate\": {\"afford\": \"refuse\"}}"), null).clamp()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "\"0.0000001\"", "0.0000001", "\"abc\"", "true", "[]", "{}", "\"1e3\"",
        "1e999999999", "\"99999999999999\"", "\"\""})
    void badCeilingsAre400sNamingTheField(String value) throws Exception {
        assertThatThrownBy(() -> SpendControls.of(body("{\"max_cost_usd\": " + value + "}"), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("max_cost_usd"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"clamp\"", "1", "{\"afford\": \"always\"}", "{\"afford\": 1}", "{\"x\": 1}"})
    void badAffordModesAre400s(String value) throws Exception {
        assertThatThrownBy(() -> SpendControls.of(body("{\"tollgate\": " + value + "}"), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).startsWith("tollgate"));
    }

    @Test
    void badHeadersAre400sNamingTheHeader() {
        assertThatThrownBy(() -> SpendControls.of(null, new SpendControls.Headers("$5", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("x-tollgate-max-cost-usd"));
        assertThatThrownBy(() -> SpendControls.of(null, new SpendControls.Headers(null, "sometimes")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("x-tollgate-afford"));
    }

    @Test
    void carriedFromOtherFormatsAsTheyWereSent() throws Exception {
        ObjectNode out = JSON.createObjectNode();
        SpendControls.carry(body("{\"max_cost_usd\": \"0.1\", \"tollgate\": {\"afford\": \"clamp\"}, \"x\": 1}"), out);
        assertThat(out.toString()).isEqualTo("{\"max_cost_usd\":\"0.1\",\"tollgate\":{\"afford\":\"clamp\"}}");
    }
}
