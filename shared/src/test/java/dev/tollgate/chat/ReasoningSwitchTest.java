package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
}
