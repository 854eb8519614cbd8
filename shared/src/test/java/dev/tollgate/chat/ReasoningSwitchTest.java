package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.RequestPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each family's switch, for an effort that turns thinking on and one that turns it off. */
class ReasoningSwitchTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "openai   | high    | {'reasoning_effort':'high','chat_template_kwargs':{'x':1}}",
            "ollama   | medium  | {'think':true,'chat_template_kwargs':{'x':1}}",
            "ollama   | none    | {'think':false,'chat_template_kwargs':{'x':1}}",
            "qwen     | low     | {'chat_template_kwargs':{'x':1,'enable_thinking':true}}",
            "qwen     | minimal | {'chat_template_kwargs':{'x':1,'enable_thinking':false}}",
            "deepseek | high    | {'thinking':{'type':'enabled'},'chat_template_kwargs':{'x':1}}",
            "deepseek | none    | {'thinking':{'type':'disabled'},'chat_template_kwargs':{'x':1}}",
    })
    void effortBecomesTheFamilysSwitch(String family, String effort, String expected) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"reasoning_effort\":\"" + effort + "\",\"chat_template_kwargs\":{\"x\":1}}");
        ReasoningSwitch.apply(body, family);
        assertThat(body).isEqualTo(JSON.readTree(expected.replace('\'', '"')));
    }

    @ParameterizedTest
    @CsvSource({"ollama", "qwen", "deepseek"})
    void withoutAnEffortNothingChanges(String family) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"messages\":[]}");
        ReasoningSwitch.apply(body, family);
        assertThat(body).isEqualTo(JSON.readTree("{\"messages\":[]}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "ollama   | high | {'think':false}",
            "ollama   |      | {'think':false}",
            "qwen     | low  | {'chat_template_kwargs':{'enable_thinking':false}}",
            "qwen     |      | {'chat_template_kwargs':{'enable_thinking':false}}",
            "deepseek | high | {'thinking':{'type':'disabled'}}",
    })
    void aStreamOnlyThinkerHasItsSwitchOffOnABufferedRequest(String family, String effort, String expected) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        if (effort != null) {
            body.put("reasoning_effort", effort);
        }
        RequestPolicy policy = streamOnly(family);

        ReasoningSwitch.apply(body, policy, false);

        assertThat(body).isEqualTo(JSON.readTree(expected.replace('\'', '"')));
        assertThat(ReasoningSwitch.forcedOff(policy, false)).isTrue();
    }

    @Test
    void aStreamOnlyThinkerKeepsTheCallersEffortWhenStreamed() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"reasoning_effort\":\"high\"}");
        RequestPolicy policy = streamOnly("qwen");

        ReasoningSwitch.apply(body, policy, true);

        assertThat(body).isEqualTo(JSON.readTree("{\"chat_template_kwargs\":{\"enable_thinking\":true}}"));
        assertThat(ReasoningSwitch.forcedOff(policy, true)).isFalse();
    }

    @Test
    void onlyAFamilyWithAnOffSwitchCanNeedAStream() {
        assertThatThrownBy(() -> new RequestPolicy(1, Map.of(), false, Map.of(), 0, "openai", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reasoning_needs_stream");
        assertThat(ReasoningSwitch.forcedOff(RequestPolicy.DEFAULT, false)).isFalse();
    }

    private static RequestPolicy streamOnly(String family) {
        return new RequestPolicy(1, Map.of(), false, Map.of(), 0, family, true);
    }
}
