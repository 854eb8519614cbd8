package dev.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.openai.ChatRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What auto routing reads from a request, field by field. */
class RequestSignalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenCounter TOKENS = new TokenCounter();
    private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";
    private static final String PNG = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}";

    @Test
    void aPlainRequestSignalsNothing() {
        RequestSignals s = signals("{\"model\":\"auto\"," + USER + "}");
        assertThat(s).isEqualTo(new RequestSignals(0, false, false, false, 0, false, 0, false, s.promptTokens()));
        assertThat(s.promptTokens()).isBetween(5, 12);
    }

    @Test
    void imagePartsAreCountedInEverySpellingAndTheirBytesAreNoPromptText() {
        RequestSignals s = signals("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[" + PNG + ","
                + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64," + "A".repeat(4000) + "\"},"
                + "{\"type\":\"text\",\"text\":\"Compare\"}]}]}");
        assertThat(s.imageParts()).isEqualTo(2);
        assertThat(s.promptTokens()).as("4,000 base64 characters are not prompt text").isLessThan(20);
    }

    @Test
    void toolsJsonSchemaAndFunctionsAreSeen() {
        assertThat(signals("{\"model\":\"auto\"," + USER + ",\"tools\":[{\"type\":\"function\"}]}").tools()).isTrue();
        assertThat(signals("{\"model\":\"auto\"," + USER + ",\"functions\":[{\"name\":\"f\"}]}").tools()).isTrue();
        assertThat(signals("{\"model\":\"auto\"," + USER + ",\"tools\":[]}").tools()).isFalse();
        assertThat(signals("{\"model\":\"auto\"," + USER + ",\"response_format\":{\"type\":\"json_schema\"}}").jsonSchema())
                .isTrue();
        assertThat(signals("{\"model\":\"auto\"," + USER + ",\"response_format\":{\"type\":\"json_object\"}}").jsonSchema())
                .isFalse();
    }

    // '|' stands for '"'.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "|reasoning_effort|:|low|;                          true",
            "|reasoning_effort|:|minimal|;                      true",
            "|reasoning_effort|:|none|;                         false",
            "|reasoning|:{|effort|:|high|};                     true",
            "|reasoning|:{|max_tokens|:2000};                   true",
            "|reasoning|:{|enabled|:false};                     false",
            "|reasoning|:{|effort|:|none|};                     false",
            "|thinking|:{|type|:|enabled|,|budget_tokens|:99};  true",
            "|thinking|:{|type|:|disabled|};                    false",
            "|thinking|:true;                                   true",
            "|think|:true;                                      true",
            "|think|:|high|;                                    true",
            "|think|:false;                                     false",
            "|enable_thinking|:true;                            true",
            "|chat_template_kwargs|:{|enable_thinking|:true};   true",
            "|chat_template_kwargs|:{|enable_thinking|:false};  false",
            "|chat_template_kwargs|:{|thinking|:true};          true",
            "|temperature|:0.2;                                 false",
    })
    void reasoningOptionsInEverySpelling(String field, boolean on) {
        assertThat(signals("{\"model\":\"auto\"," + USER + "," + field.replace('|', '"') + "}").reasoningOptions())
                .isEqualTo(on);
    }

    @Test
    void codeCountsUserAndAssistantTurnsAndIntentOnlyTheLastUserMessage() {
        String body = "{\"model\":\"auto\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"x = 1\\ny = 2\"},"
                + "{\"role\":\"user\",\"content\":\"Write a Python function.\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"def f():\\n    return 1\"}]},"
                + "{\"role\":\"user\",\"content\":\"Thanks, and a poem?\"}]}";
        RequestSignals s = signals(body);
        assertThat(s.codeIntent()).as("the last user message asks for a poem").isFalse();
        // "def f():" and "return 1" are code; the user's two sentences are not; the system turn is not read.
        int code = "def f():".length() + "return 1".length();
        int all = code + "Write a Python function.".length() + "Thanks, and a poem?".length();
        assertThat(s.codePercent()).isEqualTo(code * 100 / all);
    }

    @Test
    void stepsAreCountedInTheLastUserMessage() {
        RequestSignals s = signals("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"1. a\\n2. b\\n3. c\"},"
                + "{\"role\":\"user\",\"content\":\"1. only one step, step by step\"}]}");
        assertThat(s.steps()).isEqualTo(1);
        assertThat(s.stepByStep()).isTrue();
    }

    private static RequestSignals signals(String body) {
        return RequestSignals.of(ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8), JSON), TOKENS);
    }
}
