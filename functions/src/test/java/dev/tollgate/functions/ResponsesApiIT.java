package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/responses (with stored conversations) and legacy POST /v1/completions through OpenAI's Java SDK. */
class ResponsesApiIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static TestServer.Account account;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("5.00");
        client = OpenAIOkHttpClient.builder().baseUrl(server.apiBase().toString()).apiKey(account.key())
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void resetUpstream() {
        server.upstream().reset();
    }

    /** A buffered response is written as its text's UTF-8 (ADR 0021): an emoji as its four bytes, not escaped. */
    @Test
    void emojiInABufferedResponseArriveAsUtf8() throws Exception {
        server.upstream().enqueue(Behavior.of("Hi ", "\uD83D\uDE00"));
        HttpResponse<String> response = Http.post(server.apiBase().resolve("/v1/responses"), account.key(),
                "{\"model\":\"qwen3:latest\",\"input\":\"Hi\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(response.body()).at("/output/0/content/0/text").asText()).isEqualTo("Hi \uD83D\uDE00");
        assertThat(response.body()).contains("Hi \uD83D\uDE00").doesNotContainIgnoringCase("\\ud83d");
    }

    @Test
    void bufferedResponseWithToolCallThenPreviousResponseIdContinuesTheConversation() throws Exception {
        server.upstream().enqueue(Behavior.of("").toolCall("get_weather", "{\"city\":\"Paris\"}").reasoning("Hmm."));
        FunctionTool tool = FunctionTool.builder().name("get_weather").strict(false)
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build()).build();
        Money before = server.balance(account.accountId());
        Response first = client.responses().create(ResponseCreateParams.builder().model("qwen3:latest")
                .instructions("Be brief.").input("Weather in Paris?").addTool(tool).build());
        ResponseOutputItem callItem = first.output().stream().filter(ResponseOutputItem::isFunctionCall).findFirst().orElseThrow();
        assertThat(callItem.asFunctionCall().name()).isEqualTo("get_weather");
        assertThat(callItem.asFunctionCall().arguments()).contains("Paris");
        assertThat(first.usage().orElseThrow().inputTokens()).isEqualTo(11);
        Money charged = before.minus(server.balance(account.accountId()));
        assertThat(first.usage().orElseThrow()._additionalProperties().get("cost").asString().orElseThrow())
                .isEqualTo(charged.toDollars());
        JsonNode upstream = server.upstream().requests().getLast().json();
        assertThat(upstream.at("/messages/0/content").asText()).isEqualTo("Be brief.");
        assertThat(upstream.at("/tools/0/function/name").asText()).isEqualTo("get_weather");

        server.upstream().enqueue(Behavior.of("It is ", "18 C."));
        Response second = client.responses().create(ResponseCreateParams.builder().model("qwen3:latest")
                .previousResponseId(first.id())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(callItem.asFunctionCall().callId()).output("18 C, cloudy").build())))
                .build());
        assertThat(text(second)).isEqualTo("It is 18 C.");
        JsonNode continued = server.upstream().requests().getLast().json();
        assertThat(continued.at("/messages/0/role").asText()).as("instructions are not carried over").isEqualTo("user");
        assertThat(continued.at("/messages/1/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(continued.at("/messages/2/role").asText()).isEqualTo("tool");
        assertThat(continued.at("/messages/2/content").asText()).isEqualTo("18 C, cloudy");

        assertThat(text(client.responses().retrieve(second.id()))).isEqualTo("It is 18 C.");
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    @Test
    void streamedResponseWithAToolCallEmitsTheEventSequenceAndIsStored() {
        server.upstream().enqueue(Behavior.of("Checking").toolCall("get_weather", "{\"city\":\"Oslo\"}").usage(30, 7));
        List<String> types = new ArrayList<>();
        Response completed = null;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("qwen3:latest").input("Weather in Oslo?").build())) {
            for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                types.add(event._json().map(JsonValue::toString).orElse(event.toString()));
                if (event.isCompleted()) {
                    completed = event.asCompleted().response();
                }
            }
        }
        assertThat(completed).isNotNull();
        assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(7);
        assertThat(completed.output()).anySatisfy(item -> assertThat(item.isFunctionCall()).isTrue());
        assertThat(text(completed)).isEqualTo("Checking");
        assertThat(client.responses().retrieve(completed.id()).id()).isEqualTo(completed.id());
    }

    @Test
    void anotherAccountsResponseIsNotFoundAndDeleteRemovesIt() throws Exception {
        server.upstream().enqueue(Behavior.of("hi"));
        Response mine = client.responses().create(ResponseCreateParams.builder().model("qwen3:latest").input("hi").build());
        TestServer.Account other = server.openAccount("1.00");
        HttpResponse<String> stolen = Http.get(server.apiBase().resolve("/v1/responses/" + mine.id()), other.key());
        assertThat(stolen.statusCode()).isEqualTo(404);
        HttpResponse<String> continued = Http.post(server.apiBase().resolve("/v1/responses"), other.key(),
                "{\"model\":\"qwen3:latest\",\"input\":\"go on\",\"previous_response_id\":\"" + mine.id() + "\"}");
        assertThat(continued.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(continued.body()).at("/error/param").asText()).isEqualTo("previous_response_id");
        assertThat(ApiCalls.delete(server.apiBase().resolve("/v1/responses/" + mine.id()), other.key()).statusCode()).isEqualTo(404);
        assertThat(ApiCalls.delete(server.apiBase().resolve("/v1/responses/" + mine.id()), account.key()).statusCode()).isEqualTo(200);
        assertThat(Http.get(server.apiBase().resolve("/v1/responses/" + mine.id()), account.key()).statusCode()).isEqualTo(404);
    }

    @Test
    void storeFalseIsNotKept() {
        server.upstream().enqueue(Behavior.of("hi"));
        Response response = client.responses().create(ResponseCreateParams.builder().model("qwen3:latest").input("hi")
                .store(false).build());
        assertThat(Http.get(server.apiBase().resolve("/v1/responses/" + response.id()), account.key()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void legacyCompletionsThroughTheSdk() {
        server.upstream().enqueue(Behavior.of("Hello", " world"));
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of("qwen3:latest")).prompt("Say hello").build());
        assertThat(completion.choices().get(0).text()).isEqualTo("Hello world");
        JsonNode upstream = server.upstream().requests().getLast().json();
        assertThat(upstream.at("/messages/0/content").asText()).isEqualTo("Say hello");
        assertThat(upstream.at("/max_tokens").asInt()).isEqualTo(16);

        server.upstream().enqueue(Behavior.of("a", "b"));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of("qwen3:latest")).prompt("Say ab").build())) {
            stream.stream().forEach(c -> c.choices().forEach(choice -> text.append(choice.text())));
        }
        assertThat(text.toString()).isEqualTo("ab");
    }

    /** The text of a response's message items. */
    private static String text(Response response) {
        StringBuilder text = new StringBuilder();
        response.output().stream().filter(ResponseOutputItem::isMessage).forEach(item -> item.asMessage().content()
                .forEach(part -> part.outputText().ifPresent(t -> text.append(t.text()))));
        return text.toString();
    }

    @Test
    void badInputIsAFourHundredInTheOpenAiEnvelope() throws Exception {
        String[] responses = {"{}", "[]", "{\"model\":\"qwen3:latest\"}", "{\"model\":\"qwen3:latest\",\"input\":5}",
            "{\"model\":\"qwen3:latest\",\"input\":[5]}", "{\"model\":\"qwen3:latest\",\"input\":[{\"role\":\"x\",\"content\":\"a\"}]}",
            "{\"model\":\"qwen3:latest\",\"input\":[{\"type\":\"zzz\"}]}",
            "{\"model\":\"qwen3:latest\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\"}]}]}",
            "{\"model\":\"qwen3:latest\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}",
            "{\"model\":\"qwen3:latest\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}",
            "{\"model\":\"qwen3:latest\",\"input\":\"x\",\"reasoning\":{\"effort\":\"max\"}}",
            "{\"model\":\"qwen3:latest\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\"}}}",
            "{\"model\":\"qwen3:latest\",\"input\":\"x\",\"max_output_tokens\":0}",
            "{\"model\":\"qwen3:latest\",\"input\":\"x\",\"previous_response_id\":\"resp_nope\"}"};
        String[] completions = {"{}", "{\"model\":\"qwen3:latest\"}", "{\"model\":\"qwen3:latest\",\"prompt\":[1,2]}",
            "{\"model\":\"qwen3:latest\",\"prompt\":[\"a\",\"b\"]}", "{\"model\":\"qwen3:latest\",\"prompt\":\"a\",\"suffix\":\"b\"}",
            "{\"model\":\"qwen3:latest\",\"prompt\":\"a\",\"echo\":true}", "{\"model\":\"qwen3:latest\",\"prompt\":\"a\",\"max_tokens\":\"x\"}"};
        Money before = server.balance(account.accountId());
        for (String[] set : new String[][] {responses, completions}) {
            String path = set == responses ? "/v1/responses" : "/v1/completions";
            for (String body : set) {
                HttpResponse<String> response = Http.post(server.apiBase().resolve(path), account.key(), body);
                assertThat(response.statusCode()).as(path + " " + body + " → " + response.body()).isBetween(400, 499);
                assertThat(JSON.readTree(response.body()).at("/error/message").asText()).as(body).isNotBlank();
            }
        }
        assertThat(server.balance(account.accountId())).isEqualTo(before);
    }
}
