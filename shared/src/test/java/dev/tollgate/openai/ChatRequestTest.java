package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every invalid chat request is a 400 invalid_request_error naming the offending field in {@code param}. */
class ChatRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    // '|' stands for '"' so the bodies stay readable inside CSV; an empty param column means param is null.
    @ParameterizedTest(name = "[{index}] {0} → param {1}")
    @CsvSource(delimiter = ';', nullValues = "NULL", value = {
            "{|messages|:[{|role|:|user|,|content|:|hi|}]};                              model",
            "{|model|:null,|messages|:[{|role|:|user|}]};                                 model",
            "{|model|:42,|messages|:[{|role|:|user|}]};                                   model",
            "{|model|:[|qwen3:latest|],|messages|:[{|role|:|user|}]};                     model",
            "{|model|:|  |,|messages|:[{|role|:|user|}]};                                 model",
            "{|model|:null,|models|:[],|messages|:[{|role|:|user|}]};                     models",
            "{|model|:|auto|,|models|:|gemma3:1b|,|messages|:[{|role|:|user|}]};          models",
            "{|model|:|auto|,|models|:{},|messages|:[{|role|:|user|}]};                   models",
            "{|model|:|auto|,|models|:[1,2,3,4,5,6,7,8,9],|messages|:[{|role|:|user|}]};  models",
            "{|model|:|auto|,|models|:[|a|,null],|messages|:[{|role|:|user|}]};           models[1]",
            "{|model|:|auto|,|models|:[|  |],|messages|:[{|role|:|user|}]};               models[0]",
            "{|model|:|auto|,|models|:[|auto|],|messages|:[{|role|:|user|}]};             models[0]",
            "{|model|:|auto|,|max_price|:1,|messages|:[{|role|:|user|}]};                 max_price",
            "{|model|:|auto|,|max_price|:{},|messages|:[{|role|:|user|}]};                max_price",
            "{|model|:|auto|,|max_price|:[1],|messages|:[{|role|:|user|}]};               max_price",
            "{|model|:|auto|,|max_price|:{|request|:1},|messages|:[{|role|:|user|}]};     max_price.request",
            "{|model|:|auto|,|max_price|:{|prompt|:-1},|messages|:[{|role|:|user|}]};     max_price.prompt",
            "{|model|:|auto|,|max_price|:{|prompt|:|x|},|messages|:[{|role|:|user|}]};    max_price.prompt",
            "{|model|:|auto|,|max_price|:{|completion|:true},|messages|:[{|role|:|user|}]}; max_price.completion",
            "{|model|:|auto|,|max_price|:{|completion|:0.0000001},|messages|:[{|role|:|user|}]}; max_price.completion",
            "{|model|:|auto|,|max_price|:{|prompt|:1e999999999},|messages|:[{|role|:|user|}]}; max_price.prompt",
            "{|model|:|auto|,|max_price|:{|prompt|:{}},|messages|:[{|role|:|user|}]};     max_price.prompt",
            "{|model|:|qwen3:latest|};                                                    messages",
            "{|model|:|qwen3:latest|,|messages|:null};                                    messages",
            "{|model|:|qwen3:latest|,|messages|:[]};                                      messages",
            "{|model|:|qwen3:latest|,|messages|:{|role|:|user|}};                         messages",
            "{|model|:|qwen3:latest|,|messages|:|hello|};                                 messages",
            "{|model|:|qwen3:latest|,|messages|:[|hello|]};                               messages[0]",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|},{|content|:|x|}]};       messages[1].role",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|},{|role|:7}]};            messages[1].role",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|stream|:|yes|};        stream",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|stream|:1};            stream",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|max_tokens|:-1};       max_tokens",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|max_tokens|:0};        max_tokens",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|max_tokens|:1.5};      max_tokens",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|max_tokens|:|10|};     max_tokens",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|max_tokens|:9999999999}; max_tokens",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|max_completion_tokens|:-5}; max_completion_tokens",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}],|stream_options|:true}; stream_options",
            "{|model|:|qwen3:latest|,|messages|:[{|role|:|user|}];                        NULL",
            "[{|model|:|qwen3:latest|}];                                                  NULL",
            "|just a string|;                                                             NULL",
            "null;                                                                        NULL",
    })
    void invalidBodyIsA400NamingTheField(String body, String param) {
        ApiException e = rejected(body.replace('|', '"'));

        assertThat(e.param()).isEqualTo(param);
        if (param != null) {
            assertThat(e.getMessage()).contains("'" + param + "'");
        }
    }

    @Test
    void emptyBodyIsA400ShowingAnExample() {
        ApiException e = rejectedBytes(new byte[0]);
        assertThat(e.param()).isNull();
        assertThat(e.getMessage()).contains("empty").contains("\"messages\"");
        assertThat(rejectedBytes(null).getMessage()).contains("empty");
    }

    @Test
    void malformedJsonSaysWhereItBroke() {
        ApiException e = rejected("{\"model\": \"qwen3:latest\",\n \"messages\": [}");
        assertThat(e.param()).isNull();
        assertThat(e.getMessage()).contains("not valid JSON").contains("line 2");
    }

    @Test
    void jsonArrayBodyIsRefusedAsNotAnObject() {
        ApiException e = rejected("[]");
        assertThat(e.getMessage()).contains("must be a JSON object");
    }

    @Test
    void missingModelMessageSaysItIsRequired() {
        assertThat(rejected("{" + MESSAGES + "}").getMessage()).startsWith("Missing required parameter: 'model'.");
    }

    @Test
    void autoAndTheEmptyModelBothAskTollgateToChoose() {
        assertThat(parse("{\"model\":\"auto\"," + MESSAGES + "}").wantsAuto()).isTrue();
        assertThat(parse("{\"model\":\"\"," + MESSAGES + "}").wantsAuto()).isTrue();
        assertThat(parse("{\"model\":\"gemma3:1b\"," + MESSAGES + "}").wantsAuto()).isFalse();
    }

    @Test
    void modelsAreReadInOrderWithoutRepeatsAndMayStandWithoutModel() {
        ChatRequest request = parse("{\"models\":[\"qwen3:latest\",\"gemma3:1b\",\"qwen3:latest\"]," + MESSAGES + "}");
        assertThat(request.model()).isNull();
        assertThat(request.wantsAuto()).isFalse();
        assertThat(request.fallbackModels()).containsExactly("qwen3:latest", "gemma3:1b");
        assertThat(parse("{\"model\":\"gemma3:1b\"," + MESSAGES + "}").fallbackModels()).isEmpty();
    }

    @Test
    void maxPriceIsReadExactlyInMicroDollarsPerMillion() {
        MaxPrice price = parse("{\"model\":\"auto\",\"max_price\":{\"prompt\":0.2,\"completion\":\"1.5\"}," + MESSAGES + "}")
                .maxPrice();
        assertThat(price.prompt().microsPerMillion()).isEqualTo(200_000);
        assertThat(price.completion().microsPerMillion()).isEqualTo(1_500_000);
        MaxPrice promptOnly = parse("{\"model\":\"auto\",\"max_price\":{\"prompt\":0}," + MESSAGES + "}").maxPrice();
        assertThat(promptOnly.prompt().isFree()).isTrue();
        assertThat(promptOnly.completion()).isNull();
        assertThat(parse("{\"model\":\"auto\"," + MESSAGES + "}").maxPrice()).isNull();
    }

    @Test
    void validMinimalRequest() {
        ChatRequest request = parse("{\"model\":\"qwen3:latest\"," + MESSAGES + "}");
        assertThat(request.model()).isEqualTo("qwen3:latest");
        assertThat(request.stream()).isFalse();
        assertThat(request.messages()).hasSize(1);
        assertThat(request.tools()).isNull();
        assertThat(request.maxTokensField()).isEqualTo("max_tokens");
        assertThat(request.requestedMaxTokens()).isZero();
    }

    @Test
    void explicitNullsForOptionalFieldsAreAccepted() {
        ChatRequest request = parse("{\"model\":\"qwen3:latest\"," + MESSAGES
                + ",\"stream\":null,\"max_tokens\":null,\"max_completion_tokens\":null,\"stream_options\":null}");
        assertThat(request.stream()).isFalse();
        assertThat(request.maxTokensField()).isEqualTo("max_tokens");
        assertThat(request.requestedMaxTokens()).isZero();
    }

    @Test
    void streamAndBoundsAreRead() {
        ChatRequest request = parse("{\"model\":\"qwen3:latest\"," + MESSAGES
                + ",\"stream\":true,\"max_tokens\":50,\"max_completion_tokens\":200,\"tools\":[]}");
        assertThat(request.stream()).isTrue();
        assertThat(request.maxTokensField()).isEqualTo("max_completion_tokens");
        assertThat(request.requestedMaxTokens()).isEqualTo(200);
        assertThat(request.tools().isArray()).isTrue();
    }

    @Test
    void unknownFieldsAreKept() {
        ChatRequest request = parse("{\"model\":\"qwen3:latest\"," + MESSAGES
                + ",\"response_format\":{\"type\":\"json_object\"},\"x_vendor\":{\"a\":[1,2]}}");
        assertThat(request.copyBody().at("/response_format/type").asText()).isEqualTo("json_object");
        assertThat(request.copyBody().at("/x_vendor/a/1").asInt()).isEqualTo(2);
    }

    @Test
    void copyBodyIsADeepCopy() {
        ChatRequest request = parse("{\"model\":\"qwen3:latest\"," + MESSAGES + "}");
        request.copyBody().put("model", "changed");
        assertThat(request.model()).isEqualTo("qwen3:latest");
    }

    private static ChatRequest parse(String body) {
        return ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static ApiException rejected(String body) {
        return rejectedBytes(body.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException rejectedBytes(byte[] body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> ChatRequest.parse(body, JSON));
        assertThat(e).as("expected a 400 for %s", body == null ? "null" : new String(body, StandardCharsets.UTF_8))
                .isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e.code().code()).isEqualTo("invalid_request_error");
        assertThat(e.code().type()).isEqualTo("invalid_request_error");
        return e;
    }
}
