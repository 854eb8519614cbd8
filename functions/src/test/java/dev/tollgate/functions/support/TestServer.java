package dev.tollgate.functions.support;

import dev.tollgate.accounts.AccountService;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.testkit.LocalDynamo;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One real Tollgate for a test class: DynamoDB Local (in memory), the fake OpenAI upstream on loopback,
 * and the Micronaut application on Netty with a random port, wired exactly as in production except for
 * the short timings below. Use one per class ({@code @BeforeAll}/{@code @AfterAll}).
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";

    private final LocalDynamo dynamo;
    private final FakeOpenAiUpstream upstream;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final boolean ownsBackends;

    private TestServer(LocalDynamo dynamo, FakeOpenAiUpstream upstream, ApplicationContext context, boolean ownsBackends) {
        this.dynamo = dynamo;
        this.upstream = upstream;
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.ownsBackends = ownsBackends;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts with extra or overriding properties, e.g. a short keep-alive; {@code {upstream}} is replaced. */
    public static TestServer start(Map<String, Object> overrides) {
        return start(LocalDynamo.start(), FakeOpenAiUpstream.start(), overrides, true);
    }

    /**
     * A second application instance on the same DynamoDB Local and fake upstream, as two Lambda instances share
     * one table set: each has its own caches. Closing it leaves the first one's backends running.
     */
    public TestServer secondInstance(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(overrides);
        properties.put("tollgate.dynamodb.create-tables", false);
        return start(dynamo, upstream, properties, false);
    }

    private static TestServer start(LocalDynamo dynamo, FakeOpenAiUpstream upstream, Map<String, Object> overrides,
                                    boolean owns) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("tollgate.dynamodb.endpoint", dynamo.endpoint().toString());
        properties.put("tollgate.dynamodb.create-tables", true);
        properties.put("tollgate.admin.token", ADMIN_TOKEN);
        properties.put("tollgate.upstreams.ollama.base-url", upstream.baseUrl().toString());
        properties.put("tollgate.upstreams.ollama.retry-backoff", "0ms");
        properties.put("tollgate.upstreams.ollama.first-byte-timeout", "5s");
        properties.put("tollgate.upstreams.ollama.request-timeout", "10s");
        // "{upstream}" in an override stands for the fake upstream's base URL, known only now.
        overrides.forEach((name, value) -> properties.put(name,
                value instanceof String text ? text.replace("{upstream}", upstream.baseUrl().toString()) : value));
        ApplicationContext context = ApplicationContext.builder().properties(properties).start();
        context.getBean(EmbeddedServer.class).start();
        return new TestServer(dynamo, upstream, context, owns);
    }

    /**
     * The {@code tollgate.catalog-files} value that overlays the test-only models of
     * {@code catalog/test-models.json} (e.g. {@code test/pricey}, where a few tokens cost dollars).
     */
    public static String testCatalog() {
        try {
            return java.nio.file.Path.of(TestServer.class.getResource("/catalog/test-models.json").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    /** The OpenAI-style base URL, {@code http://127.0.0.1:PORT/v1}. */
    public URI apiBase() {
        return baseUrl().resolve("/v1");
    }

    public FakeOpenAiUpstream upstream() {
        return upstream;
    }

    public ApplicationContext context() {
        return context;
    }

    public BalanceStore balances() {
        return context.getBean(DynamoBalanceStore.class);
    }

    /** A new account with {@code dollars} of credit; returns its management key secret and ids. */
    public Account openAccount(String dollars) {
        AccountService.Opened opened = context.getBean(AccountService.class).open("test", Money.parseDollars(dollars));
        return new Account(opened.account().accountId(), opened.key().keyId(), opened.secret());
    }

    public Money balance(String accountId) {
        return balances().balance(accountId).orElseThrow();
    }

    public List<LedgerEntry> ledger(String accountId) {
        return balances().ledger(accountId);
    }

    /** Sum of an account's ledger: equals its balance whenever no hold is open. */
    public Money ledgerSum(String accountId) {
        return ledger(accountId).stream().map(LedgerEntry::amount).reduce(Money.ZERO, Money::plus);
    }

    public record Account(String accountId, String keyId, String key) {
    }

    @Override
    public void close() {
        context.close();
        if (ownsBackends) {
            upstream.close();
            dynamo.close();
        }
    }
}
