package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstreams that misbehave on purpose: they ignore {@code max_tokens}, answer more choices than asked, report
 * usage beyond the bound or none at all. Whatever they do, the caller gets no more than the hold paid for, is
 * charged for what was delivered, and the balance never goes below zero; what escapes the hold is debt.
 */
class AdversarialUpstreamIT {

    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story\"}]";
    static TestServer server;
    static URI chat;
    static int prompt;
    static ModelPricing qwen;
    static ModelPricing pricey;
    static ModelPricing multi;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("tollgate.catalog-files", TestServer.testCatalog()));
        chat = server.apiBase().resolve("/v1/chat/completions");
        prompt = new TokenCounter().countPrompt("o200k_base", new ObjectMapper().readTree(MESSAGES), null);
        Catalog catalog = server.context().getBean(Catalog.class);
        qwen = catalog.find("qwen3:latest").orElseThrow().pricing();
        pricey = catalog.find("test/pricey").orElseThrow().pricing();
        multi = catalog.find("test/multi").orElseThrow().pricing();
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
    void aStreamFromAnUpstreamThatIgnoresMaxTokensIsCutAtTheBound() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().noUsage().endless());

        List<JsonNode> events = stream(account, "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_completion_tokens\":5,"
                + "\"messages\":" + MESSAGES + "}");

        assertThat(content(events)).isEqualTo("Hello from fake more more"); // 5 tokens, then nothing
        JsonNode last = events.getLast();
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(last.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        assertThat(server.upstream().awaitClientDisconnect(Duration.ofSeconds(10))).as("upstream stopped").isTrue();
        JsonNode sent = server.upstream().takeRequest(Duration.ofSeconds(5)).json();
        assertThat(sent.get("max_tokens").asInt()).as("bound in max_tokens too").isEqualTo(5);
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(5);
        assertCharged(account, "1.00", qwen.cost(prompt, 5), "output_bound", 5);
    }

    @Test
    void withIncludeUsageTheCutStreamEndsWithALengthChunkThenTheUsageChunk() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().usage(11, 1_000_000).endless());

        List<JsonNode> events = stream(account, "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":4,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":" + MESSAGES + "}");

        assertThat(content(events)).isEqualTo("Hello from fake more");
        assertThat(events.get(events.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(events.getLast().get("choices")).isEmpty();
        assertThat(events.getLast().at("/usage/completion_tokens").asInt()).isEqualTo(4);
        assertCharged(account, "1.00", qwen.cost(prompt, 4), "output_bound", 4);
    }

    @Test
    void aBufferedAnswerBeyondTheBoundIsChargedAtMostTheBound() {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().usage(11, 1_000_000).endless());

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"max_tokens\":7,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ApiCalls.json(response).at("/usage/completion_tokens").asInt()).isEqualTo(7);
        assertCharged(account, "1.00", qwen.cost(11, 7), "ok", 7);
    }

    @Test
    void aBufferedAnswerBeyondTheBoundWithoutUsageIsCountedThenCapped() {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().noUsage().endless());

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"max_tokens\":7,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertCharged(account, "1.00", qwen.cost(prompt, 7), "ok", 7);
    }

    @Test
    void unaskedForChoicesCountAgainstTheSameBound() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().noUsage().choices(3).endless());

        List<JsonNode> events = stream(account, "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":6,"
                + "\"messages\":" + MESSAGES + "}");

        assertThat(events.getLast().at("/usage/completion_tokens").asInt()).isEqualTo(6);
        assertCharged(account, "1.00", qwen.cost(prompt, 6), "output_bound", 6);
    }

    @Test
    void nMultipliesTheHoldWhereTheModelTakesSeveralChoices() {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().noUsage().choices(4));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/multi\",\"n\":4,\"max_tokens\":3,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ApiCalls.json(response).get("choices")).hasSize(4);
        assertCharged(account, "1.00", multi.cost(prompt, 12), "ok", 12);
    }

    @Test
    void nOnAModelThatTakesOneChoiceIsRefusedAndChargesNothing() {
        TestServer.Account account = server.openAccount("1.00");

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"n\":4,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiCalls.json(response).at("/error/param").asText()).isEqualTo("n");
        assertThat(server.upstream().requests()).isEmpty();
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
        assertThat(server.ledger(account.accountId())).hasSize(1); // the opening credit only
    }

    @Test
    void usageBeyondTheHoldIsTakenFromTheBalanceAndTheRestIsOwed() {
        TestServer.Account account = server.openAccount("10.00");
        // test/pricey: 0.20 $/token in, 0.60 $/token out. The upstream claims a 100-token prompt (Tollgate
        // estimated a few), so the cost is $23.00 against a hold of a few dollars and a $10 balance.
        server.upstream().enqueue(Behavior.defaults().usage(100, 5));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"test/pricey\",\"max_tokens\":5,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Money cost = pricey.cost(100, 5);
        assertThat(cost).isEqualTo(Money.parseDollars("23.00"));
        assertThat(ApiCalls.json(response).at("/tollgate/owed_usd").asText()).isEqualTo("13.000000");
        assertThat(ApiCalls.json(response).at("/tollgate/cost_usd").asText()).as("taken from the balance").isEqualTo("10.000000");
        LedgerEntry entry = requestEntry(account.accountId());
        assertThat(entry.amount()).as("all the balance had").isEqualTo(Money.parseDollars("-10.00"));
        assertThat(entry.request().shortfall()).as("owed").isEqualTo(Money.parseDollars("13.00"));
        assertThat(server.balance(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(Money.ZERO);
        assertThat(ApiCalls.json(Http.get(server.apiBase().resolve("/v1/usage"), account.key())).get("debt_usd").asText())
                .isEqualTo("13.000000");

        // The next request of that account, paid or free, is refused until a top-up pays what is owed.
        for (String model : List.of("qwen3:latest", "qwen/qwen3-coder:free")) {
            HttpResponse<String> next = Http.post(chat, account.key(),
                    "{\"model\":\"" + model + "\",\"messages\":" + MESSAGES + "}");
            assertThat(next.statusCode()).as(model + ": " + next.body()).isEqualTo(403);
            assertThat(next.body()).contains("insufficient_quota", "owes $13.000000");
        }
    }

    @Test
    void anAbsurdUsageReportIsBelievedOnlyUpToTheContextAndTheBound() {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().usage(Integer.MAX_VALUE, Integer.MAX_VALUE));

        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"model\":\"qwen3:latest\",\"max_tokens\":5,\"messages\":" + MESSAGES + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertCharged(account, "1.00", qwen.cost(32_768, 5), "ok", 5);
    }

    @Test
    void aBufferedAnswerThatIsNotAChatCompletionIsA502AndFree() {
        for (String body : List.of("{\"choices\":\"notalist\",\"usage\":\"x\"}", "[]", "{\"choices\":[]}",
                "{\"choices\":[{\"message\":{\"content\":5}}]}", "{\"choices\":[{\"message\":{}}],\"usage\":{\"prompt_tokens\":\"x\"}}")) {
            TestServer.Account account = server.openAccount("1.00");
            server.upstream().enqueue(Behavior.defaults().rawBody(body));

            HttpResponse<String> response = Http.post(chat, account.key(),
                    "{\"model\":\"qwen3:latest\",\"messages\":" + MESSAGES + "}");

            assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(502);
            assertThat(ApiCalls.json(response).at("/error/code").asText()).isEqualTo("gateway_error");
            assertThat(server.balance(account.accountId())).as(body).isEqualTo(Money.parseDollars("1.00"));
            assertThat(requestEntry(account.accountId()).amount()).as(body).isEqualTo(Money.ZERO);
        }
    }

    @Test
    void aStreamedChunkOfTheWrongShapeEndsTheStreamChargingWhatWasDelivered() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().noUsage()
                .eventAfterPiece(0, "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":5}}]}"));

        List<JsonNode> events = stream(account, "{\"model\":\"qwen3:latest\",\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(content(events)).isEqualTo("Hello");
        assertThat(events.getLast().at("/error/message").asText()).contains("delta.content", "not a string");
        assertThat(events.get(events.size() - 2).at("/usage/completion_tokens").asInt()).isEqualTo(1);
        assertCharged(account, "1.00", qwen.cost(prompt, 1), "upstream_error", 1);
    }

    /**
     * A chunk that writes a delta's key twice: Jackson counts the last value, a client may read the first. The relay
     * sends the chunk as it counted it (one key, from the parsed tree), so nothing uncounted gets through; a relay
     * that passed the upstream's text on would let an upstream send text past the output bound this way.
     */
    @Test
    void aKeyWrittenTwiceInAChunkGoesOutOnceWithTheValueCounted() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().eventAfterPiece(0, "{\"object\":\"chat.completion.chunk\",\"model\":\"qwen3\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"UNCOUNTED " + "text ".repeat(500) + "\",\"content\":\" world\"},"
                + "\"finish_reason\":null}]}"));

        List<String> lines = rawStream(account, "{\"model\":\"qwen3:latest\",\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(lines).noneMatch(line -> line.contains("UNCOUNTED"));
        assertThat(lines).anyMatch(line -> line.contains("{\"content\":\" world\"}"));
    }

    /**
     * A lone surrogate (an upstream that escapes half an emoji) has no UTF-8 form: it reaches the caller as the
     * tokenizer counts it, {@code ?}, not as an escape that strict JSON parsers refuse.
     */
    @Test
    void aLoneSurrogateInAChunkGoesOutAsAQuestionMark() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        server.upstream().enqueue(Behavior.defaults().eventAfterPiece(0, "{\"object\":\"chat.completion.chunk\",\"model\":\"qwen3\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a\\ud83db\"},\"finish_reason\":null}]}"));

        List<String> lines = rawStream(account, "{\"model\":\"qwen3:latest\",\"stream\":true,\"messages\":" + MESSAGES + "}");

        assertThat(lines).anyMatch(line -> line.contains("{\"content\":\" a?b\"}"));
        assertThat(lines).noneMatch(line -> line.toLowerCase(java.util.Locale.ROOT).contains("\\ud83d"));
    }

    private static List<String> rawStream(TestServer.Account account, String body) throws Exception {
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), body);
        assertThat(response.statusCode()).isEqualTo(200);
        try (Sse sse = new Sse(response.body())) {
            List<String> lines = sse.rest();
            assertThat(lines.getLast()).isEqualTo("data: [DONE]");
            return lines;
        }
    }

    private static List<JsonNode> stream(TestServer.Account account, String body) throws Exception {
        HttpResponse<java.io.InputStream> response = Http.postStreaming(chat, account.key(), body);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines;
        try (Sse sse = new Sse(response.body())) {
            lines = sse.rest();
        }
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        return lines.subList(0, lines.size() - 1).stream().map(Sse::data).toList();
    }

    private static String content(List<JsonNode> events) {
        StringBuilder text = new StringBuilder();
        events.forEach(e -> e.path("choices").forEach(c -> text.append(c.at("/delta/content").asText(""))));
        return text.toString();
    }

    private static void assertCharged(TestServer.Account account, String opening, Money cost, String status,
                                      long completionTokens) {
        LedgerEntry entry = awaitRequestEntry(account.accountId());
        assertThat(entry.amount()).isEqualTo(cost.negate());
        assertThat(entry.request().status()).isEqualTo(status);
        assertThat(entry.request().usage().completionTokens()).isEqualTo(completionTokens);
        assertThat(entry.request().shortfall()).isEqualTo(Money.ZERO);
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars(opening).minus(cost));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    private static LedgerEntry requestEntry(String accountId) {
        return server.ledger(accountId).stream().filter(e -> e.request() != null).findFirst().orElseThrow();
    }

    /** Streams settle just after the caller's [DONE]: poll for the entry with a deadline. */
    private static LedgerEntry awaitRequestEntry(String accountId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var entry = server.ledger(accountId).stream().filter(e -> e.request() != null).findFirst();
            if (entry.isPresent()) {
                return entry.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no request settled within 10 s");
    }
}
