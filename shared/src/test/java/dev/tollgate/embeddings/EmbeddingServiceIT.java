package dev.tollgate.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.catalog.EmbeddingSpec;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.chat.ModelResolver;
import dev.tollgate.chat.UpstreamRouter;
import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.money.TokenPrice;
import dev.tollgate.store.dynamo.DynamoAccountStore;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.ExpectedLog;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.RecordedRequest;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.UpstreamSettings;
import dev.tollgate.upstream.openai.OpenAiCompatibleProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embeddings use case against DynamoDB Local and the fake OpenAI upstream, with a fake in-process model
 * (the real one is exercised by OnnxEmbeddingModelIT and the server ITs). Each row checks the money: the
 * in-process path charges the exact cost before the model runs and gives it back if the model fails; the
 * upstream path holds, then settles what the upstream reports.
 */
class EmbeddingServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCAL = "all-minilm-l6-v2";
    private static LocalDynamo dynamo;
    private static FakeOpenAiUpstream upstream;
    private static DynamoBalanceStore balances;
    private static AccountService accounts;
    private static FakeInProcessModel model;
    private static InProcessModels inProcess;
    private static EmbeddingService service;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        upstream = FakeOpenAiUpstream.start();
        DynamoTables tables = DynamoTables.withPrefix("emb-");
        tables.createMissing(dynamo.client());
        balances = new DynamoBalanceStore(dynamo.client(), tables);
        Clock clock = Clock.systemUTC();
        accounts = new AccountService(new DynamoAccountStore(dynamo.client(), tables), clock);
        model = new FakeInProcessModel();
        inProcess = new InProcessModels(Map.of(model.name(), () -> model), Executors.newSingleThreadExecutor());
        Catalog catalog = CatalogLoader.loadDefault().overlay(List.of(
                embedding("test/free-local", InProcessModels.UPSTREAM, "0", new EmbeddingSpec(4, 256, false)),
                embedding("test/local-dims", InProcessModels.UPSTREAM, "0.005", new EmbeddingSpec(4, 256, true))));
        inProcess.checkCatalog(catalog);
        UpstreamSettings ollama = new UpstreamSettings("ollama", upstream.baseUrl(), null, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 0, Duration.ZERO, Map.of());
        UpstreamRouter router = new UpstreamRouter(Map.<String, ChatProvider>of("ollama",
                new OpenAiCompatibleProvider(ollama)), Map.of("ollama", ollama));
        service = new EmbeddingService(new ModelResolver(catalog), inProcess, router, new TokenCounter(),
                new RequestBilling(balances, clock, Duration.ofMinutes(5), "Top up."), balances, "Top up.", JSON, clock);
    }

    @AfterAll
    static void stop() {
        inProcess.close();
        upstream.close();
        dynamo.close();
    }

    @BeforeEach
    void reset() {
        model.failing = false;
        model.runs.set(0);
        upstream.reset();
    }

    @Test
    void inProcessRequestIsChargedItsExactTokenCost() throws Exception {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));
        // 4 inputs of 248 words = 4 x 250 tokens with [CLS]/[SEP] = 1000 tokens at $0.005/M = 5 µ$.
        String words = "word ".repeat(248);
        JsonNode response = embed(account.key(), "{\"model\":\"" + LOCAL + "\",\"input\":[\"" + words + "\",\"" + words
                + "\",\"" + words + "\",\"" + words + "\"]}");

        assertThat(response.at("/usage/prompt_tokens").asLong()).isEqualTo(1000);
        assertThat(response.at("/usage/cost").asText()).isEqualTo("0.000005");
        assertThat(response.path("data")).hasSize(4);
        assertThat(balances.balance(account.account().accountId()).orElseThrow()).isEqualTo(Money.parseDollars("0.999995"));
        assertThat(chargeOf(account)).isEqualTo(Money.ofMicros(-5));
        assertLedgerMatchesBalance(account);
    }

    @Test
    void theModelNeverRunsWhenTheBalanceCannotPay() {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("0.000001"));
        String words = "word ".repeat(248);

        ApiException e = refused(account.key(), "{\"model\":\"" + LOCAL + "\",\"input\":[\"" + words + "\",\"" + words + "\"]}");

        assertThat(e.status()).isEqualTo(403);
        assertThat(e.code().code()).isEqualTo("insufficient_quota");
        assertThat(e.getMessage()).contains("Insufficient balance: $0.000001 left, this request costs $0.000003");
        assertThat(model.runs).hasValue(0);
        assertThat(balances.balance(account.account().accountId()).orElseThrow()).isEqualTo(Money.ofMicros(1));
    }

    @Test
    void aModelFailureAfterTheChargeGivesTheMoneyBack() {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));
        model.failing = true;

        ApiException e;
        try (ExpectedLog log = ExpectedLog.of(LocalEmbeddings.class)) {
            e = refused(account.key(), "{\"model\":\"" + LOCAL + "\",\"input\":\"hello there\"}");
            assertThat(log.errors()).singleElement().asString()
                    .contains("failed after the charge; reversing it").endsWith("fake model failure");
        }

        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).contains("you were not charged");
        assertThat(balances.balance(account.account().accountId()).orElseThrow()).isEqualTo(Money.parseDollars("1.00"));
        assertThat(balances.ledger(account.account().accountId())).extracting(LedgerEntry::amount)
                .containsExactlyInAnyOrder(Money.parseDollars("1.00"), Money.ofMicros(-1), Money.ofMicros(1));
        assertLedgerMatchesBalance(account);
    }

    @Test
    void anInputOverTheModelsLimitIsA400BeforeAnyCharge() {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));

        ApiException e = refused(account.key(), "{\"model\":\"" + LOCAL + "\",\"input\":[\"short\",\"" + "word ".repeat(255) + "\"]}");

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("input");
        assertThat(e.getMessage()).contains("input[1] is 257 tokens long").contains("at most 256 tokens per input");
        assertThat(model.runs).hasValue(0);
        assertThat(balances.ledger(account.account().accountId())).hasSize(1);
    }

    @Test
    void moreThanThreeHundredThousandTokensInOneRequestIsA400() {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));
        StringBuilder body = new StringBuilder("{\"model\":\"" + LOCAL + "\",\"input\":[");
        for (int i = 0; i < 2048; i++) {
            body.append(i == 0 ? "" : ",").append('"').append("word ".repeat(200)).append('"');
        }

        ApiException e = refused(account.key(), body.append("]}").toString());

        assertThat(e.param()).isEqualTo("input");
        assertThat(e.getMessage()).contains("300000");
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreA400() {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));

        ApiException e = refused(account.key(), "{\"model\":\"" + LOCAL + "\",\"input\":[[7592, 40000]]}");

        assertThat(e.param()).isEqualTo("input");
        assertThat(e.getMessage()).contains("40000").contains("0 to 30521");
    }

    @Test
    void dimensionsAreRefusedForAModelThatDoesNotSupportThemAndShortenVectorsForOneThatDoes() throws Exception {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));

        ApiException e = refused(account.key(), "{\"model\":\"" + LOCAL + "\",\"input\":\"a\",\"dimensions\":2}");
        JsonNode same = embed(account.key(), "{\"model\":\"" + LOCAL + "\",\"input\":\"a\",\"dimensions\":384}");
        JsonNode shorter = embed(account.key(), "{\"model\":\"test/local-dims\",\"input\":\"a b\",\"dimensions\":2}");

        assertThat(e.param()).isEqualTo("dimensions");
        assertThat(e.getMessage()).contains("always returns 384-dimensional vectors");
        assertThat(same.at("/data/0/embedding")).as("the model's own length is accepted").hasSize(FakeInProcessModel.DIMENSIONS);
        JsonNode v = shorter.at("/data/0/embedding");
        assertThat(v).hasSize(2);
        assertThat(Math.hypot(v.get(0).asDouble(), v.get(1).asDouble())).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aFreeInProcessModelIsMeteredAtZero() throws Exception {
        AccountService.Opened account = accounts.open("t", Money.ZERO);

        JsonNode response = embed(account.key(), "{\"model\":\"test/free-local\",\"input\":\"hello world\"}");

        assertThat(response.at("/usage/prompt_tokens").asLong()).isEqualTo(4);
        assertThat(response.at("/usage/cost").asText()).isEqualTo("0.000000");
        assertThat(balances.ledger(account.account().accountId())).filteredOn(en -> en.request() != null).singleElement()
                .satisfies(en -> assertThat(en.amount()).isEqualTo(Money.ZERO));
    }

    @Test
    void anUpstreamModelGetsTheBodyAsSentAndIsSettledOnItsReportedUsage() throws Exception {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));

        JsonNode response = embed(account.key(), "{\"model\":\"nomic-embed-text\",\"input\":[\"x y\",\"z\"],"
                + "\"encoding_format\":\"base64\",\"user\":\"u\",\"truncate\":false}");

        RecordedRequest sent = upstream.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.json().toString()).isEqualTo("{\"model\":\"nomic-embed-text\",\"input\":[\"x y\",\"z\"],"
                + "\"encoding_format\":\"base64\",\"user\":\"u\",\"truncate\":false}");
        assertThat(response.path("model").asText()).isEqualTo("nomic-embed-text");
        assertThat(response.at("/data/1/embedding").isTextual()).isTrue();
        // The fake reports the words: 3 tokens at $0.01/M rounds up to 1 µ$.
        assertThat(response.at("/usage/prompt_tokens").asLong()).isEqualTo(3);
        assertThat(response.at("/usage/cost").asText()).isEqualTo("0.000001");
        assertThat(chargeOf(account)).isEqualTo(Money.ofMicros(-1));
        assertLedgerMatchesBalance(account);
    }

    @Test
    void anUpstreamFailureCostsNothing() {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));
        upstream.enqueue(Behavior.error(500, null));

        ApiException e = refused(account.key(), "{\"model\":\"nomic-embed-text\",\"input\":\"x\"}");

        assertThat(e.status()).isEqualTo(502);
        assertThat(balances.balance(account.account().accountId()).orElseThrow()).isEqualTo(Money.parseDollars("1.00"));
        assertThat(chargeOf(account)).isEqualTo(Money.ZERO);
    }

    @Test
    void aChatModelIsNotAnEmbeddingsModel() {
        AccountService.Opened account = accounts.open("t", Money.parseDollars("1.00"));

        ApiException e = refused(account.key(), "{\"model\":\"qwen3:latest\",\"input\":\"x\"}");

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).contains("does not support embeddings");
    }

    private static JsonNode embed(ApiKey key, String body) throws IOException {
        EmbeddingOutcome outcome = service.embed(key, body.getBytes(StandardCharsets.UTF_8));
        return JSON.readTree(outcome.body());
    }

    private static ApiException refused(ApiKey key, String body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> service.embed(key, body.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as(body).isNotNull();
        return e;
    }

    /** The one request charge on the account (negative), or zero if the request left a zero entry. */
    private static Money chargeOf(AccountService.Opened account) {
        return balances.ledger(account.account().accountId()).stream().filter(e -> e.request() != null)
                .map(LedgerEntry::amount).reduce(Money.ZERO, Money::plus);
    }

    private static void assertLedgerMatchesBalance(AccountService.Opened account) {
        String id = account.account().accountId();
        Money sum = balances.ledger(id).stream().map(LedgerEntry::amount).reduce(Money.ZERO, Money::plus);
        assertThat(sum).isEqualTo(balances.balance(id).orElseThrow());
    }

    private static ModelEntry embedding(String id, String upstreamName, String price, EmbeddingSpec spec) {
        return new ModelEntry(id, upstreamName, "all-minilm-l6-v2-q", spec.maxInputTokens(), 0,
                new ModelPricing(TokenPrice.perMillionDollars(price), TokenPrice.FREE), Set.of("embeddings"), "test",
                "o200k_base", List.of(), "", spec);
    }
}
