package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's OpenAI chat models ({@code langchain4j-open-ai}), pointed at Tollgate's /v1 with a Tollgate key,
 * get answers buffered and streamed, report the usage Tollgate relayed, and the ledger holds the charge for it.
 */
class LangChain4jChatIT {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
    }

    @Test
    void theChatModelGetsAnAnswerWithItsUsageAndIsCharged() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.of("Paris", " is the capital.").usage(1000, 500));
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.apiBase().toString()).apiKey(account.key())
                .modelName("qwen3:latest").maxRetries(0).timeout(Duration.ofSeconds(20)).build();

        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("What is the capital of France?")).build());

        assertThat(response.aiMessage().text()).isEqualTo("Paris is the capital.");
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(1000);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(500);
        assertCharged(account, 500);
        assertThat(server.upstream().requests().getLast().json().at("/messages/0/content").asText())
                .isEqualTo("What is the capital of France?");
    }

    @Test
    void theStreamingChatModelGetsTheDeltasAndTheFinalUsageAndIsCharged() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.of("Ber", "lin", ".").usage(2000, 1000));
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(server.apiBase().toString())
                .apiKey(account.key()).modelName("qwen3:latest").timeout(Duration.ofSeconds(20)).build();
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat("Capital of Germany?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse complete) {
                done.complete(complete);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(30, TimeUnit.SECONDS);

        assertThat(String.join("", partials)).isEqualTo("Berlin.");
        assertThat(response.aiMessage().text()).isEqualTo("Berlin.");
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(2000);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(1000);
        assertCharged(account, 1000);
        assertThat(server.upstream().requests().getLast().json().at("/stream").asBoolean()).isTrue();
    }

    /**
     * qwen3:latest costs $0.20/M prompt and $0.60/M completion tokens in the test catalog. A stream settles after
     * its last byte reaches the client, so the charge is awaited with a deadline.
     */
    private static void assertCharged(TestServer.Account account, long micros) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<LedgerEntry> charges = charges(account);
        while (charges.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            charges = charges(account);
        }
        assertThat(charges).hasSize(1);
        assertThat(charges.getFirst().amount().micros()).isEqualTo(-micros);
        assertThat(server.balance(account.accountId())).isEqualTo(Money.ofMicros(1_000_000 - micros));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    private static List<LedgerEntry> charges(TestServer.Account account) {
        return server.ledger(account.accountId()).stream().filter(e -> e.type() == LedgerType.CHARGE).toList();
    }
}
