package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.UsageBatcher;
import dev.tollgate.functions.support.DynamoFootprint;
import dev.tollgate.functions.support.DynamoItemSize;
import dev.tollgate.functions.support.DynamoMeter;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.LocalDynamo;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What each kind of request costs in DynamoDB, measured on the real server against DynamoDB Local: API calls,
 * items written per table, write and read request units ({@link DynamoFootprint}). docs/COSTS.md quotes these
 * numbers and bench's cost calculator uses them; a change to the write pattern shows up here first.
 *
 * <p>Caches are warm (one request of the kind first, cache TTLs of an hour), as on an instance serving steady
 * traffic; a key-cache or account-cache miss adds one GetItem (0.5 RRU). Free requests' usage counters are written
 * by an explicit flush instead of the one-second timer, so that one flush is measured whole.
 */
class DynamoCostPerRequestIT {

    static final String CHAT = "{\"model\":\"qwen3:latest\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String STREAM = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
    static final String FREE = CHAT.replace("qwen3:latest", "qwen/qwen3-coder:free");
    static final String EMBED = "{\"model\":\"all-minilm-l6-v2\",\"input\":\"the cost of one request\"}";
    static final Duration SETTLE = Duration.ofSeconds(10);

    static StripeFixture f;
    static DynamoMeter meter;
    static String prefix;
    static DynamoDbClient raw;
    /** Every meter of a running instance: the test server's, and the progress test's second instance's. */
    static final List<DynamoMeter> meters = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        f = StripeFixture.start(Map.of(DynamoMeter.PROPERTY, true, "tollgate.key-cache-ttl", "1h",
                "tollgate.account-cache-ttl", "1h", "tollgate.usage-flush-every", "1h",
                // a stream shorter than the interval records no progress; the progress test below uses 1 ms
                "tollgate.stream.progress-every", "1h"));
        meter = f.server.context().getBean(DynamoMeter.class);
        meters.add(meter);
        prefix = f.server.context().getProperty("tollgate.dynamodb.table-prefix", String.class).orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        f.close();
    }

    @Test
    void aPaidBufferedChatIsOneTransactionBeforeTheUpstreamCallAndOneAfter() throws Exception {
        TestServer.Account account = f.server.openAccount("5.00");
        post("/v1/chat/completions", account, CHAT);
        awaitSettingsRead(meter, account);
        meter.reset();
        post("/v1/chat/completions", account, CHAT);
        // hold: account, hold, key; settlement: account, hold, key, ledger (+ byTime, byKey), usage; the balance read
        assertFootprint("paid chat, buffered", meter, new DynamoFootprint(2, 1,
                Map.of("accounts", 2, "holds", 2, "keys", 2, "ledger", 1, "usage", 1), 22, 1));
    }

    @Test
    void aPaidStreamAddsItsSlotLeaseAndRelease() throws Exception {
        TestServer.Account account = f.server.openAccount("5.00");
        stream(f.server, account);
        awaitSettingsRead(meter, account);
        meter.reset();
        stream(f.server, account);
        // the buffered chat's writes, and the stream slot's lease and release on the account's slot item
        assertFootprint("paid chat, streamed", meter, new DynamoFootprint(4, 2,
                Map.of("accounts", 2, "holds", 4, "keys", 2, "ledger", 1, "usage", 1), 24, 2));
    }

    @Test
    void aFreeChatWritesNothingItselfAndOneFlushWritesItsUsage() throws Exception {
        TestServer.Account account = f.server.openAccount("5.00");
        post("/v1/chat/completions", account, FREE);
        flushFreeUsage();
        meter.reset();
        post("/v1/chat/completions", account, FREE);
        assertFootprint("free chat", meter, new DynamoFootprint(0, 0, Map.of(), 0, 0));
        flushFreeUsage();
        // one counter row per account, UTC day and model, however many requests the flush interval saw, and one
        // batch of the requests' ledger entries, packed by key and second (3 WRU a pack under 1 KB: the table,
        // byTime, byKey), so they appear in the log: a request alone in its second is one pack
        assertFootprint("free usage flush", meter, new DynamoFootprint(2, 0, Map.of("ledger", 1, "usage", 1), 4, 0));

        meter.reset();
        for (int i = 0; i < 3; i++) {
            post("/v1/chat/completions", account, FREE);
        }
        flushFreeUsage();
        await(meter::idle, "the DynamoDB calls under way");
        DynamoFootprint three = DynamoFootprint.of(meter.calls(), prefix);
        // one pack for the three unless they straddled a second
        assertThat(three.itemsWritten().get("ledger")).as(three.toString()).isBetween(1, 3);
        assertThat(three.wru()).isEqualTo(1 + 3 * three.itemsWritten().get("ledger"));
    }

    @Test
    void anEmbeddingsRequestIsOneTransactionWithoutAHold() throws Exception {
        TestServer.Account account = f.server.openAccount("5.00");
        post("/v1/embeddings", account, EMBED);
        meter.reset();
        post("/v1/embeddings", account, EMBED);
        // no hold: the cost is known before the model runs, so one transaction charges it
        assertFootprint("embeddings", meter, new DynamoFootprint(1, 1,
                Map.of("accounts", 1, "keys", 1, "ledger", 1, "usage", 1), 11, 1));
    }

    @Test
    void aTopUpIsACheckoutThenOneCreditingWebhook() throws Exception {
        TestServer.Account account = f.server.openAccount("5.00");
        f.paidTopUp(account, "10.00");
        meter.reset();
        StripeFixture.TopUp topUp = f.checkout(account, "10.00");
        // the order, the account's saved Stripe Customer (auto top-up), then its Checkout Session's id and URL
        assertFootprint("top-up checkout", meter, new DynamoFootprint(2, 1, Map.of("topups", 2), 6, 1));
        meter.reset();
        String paid = StripeEvents.edit(StripeEvents.load("checkout.session.completed", topUp.values()), e -> {
            StripeEvents.object(e).put("amount_total", 1000);
            StripeEvents.object(e).put("amount_subtotal", 1000);
        });
        HttpResponse<String> credited = f.deliver(paid);
        assertThat(credited.statusCode()).as(credited.body()).isEqualTo(200);
        // read the order and the account, then credit: order paid, balance, ledger entry in one transaction
        assertFootprint("top-up webhook", meter, new DynamoFootprint(1, 2,
                Map.of("accounts", 1, "ledger", 1, "topups", 1), 9, 2));
        assertThat(f.server.balance(account.accountId())).isEqualTo(Money.parseDollars("25.00"));
    }

    /**
     * A stream records its progress on its hold every {@code progress-every} while new text arrived: one
     * UpdateItem each. The upstream pauses after each piece until the test has seen that piece's record.
     */
    @Test
    void aLongStreamAddsOneHoldUpdatePerProgressInterval() throws Exception {
        try (TestServer progress = f.server.secondInstance(Map.of(DynamoMeter.PROPERTY, true,
                "tollgate.key-cache-ttl", "1h", "tollgate.stream.progress-every", "1ms"))) {
            DynamoMeter progressMeter = progress.context().getBean(DynamoMeter.class);
            meters.add(progressMeter);
            TestServer.Account account = progress.openAccount("5.00");
            stream(progress, account);
            awaitSlotReleased(account);
            awaitSettingsRead(progressMeter, account);
            List<CountDownLatch> pieces = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
            Behavior paced = Behavior.defaults();
            for (int k = 0; k < pieces.size(); k++) {
                paced = paced.holdAfterPiece(k, pieces.get(k));
            }
            f.server.upstream().enqueue(paced);
            progressMeter.reset();
            try (ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<List<String>> lines = client.submit(() -> streamLines(progress, account));
                for (int k = 0; k < pieces.size(); k++) {
                    int records = k + 1;
                    await(() -> progressRecords(progressMeter.calls()) >= records, "progress record " + records);
                    pieces.get(k).countDown();
                }
                assertThat(lines.get().getLast()).isEqualTo("data: [DONE]");
            }
            awaitSlotReleased(account);
            assertThat(progressRecords(progressMeter.calls())).isEqualTo(pieces.size());
            // the streamed chat's footprint plus, per record, one UpdateItem of the hold and its index entry
            assertFootprint("paid chat, streamed, 3 progress records", progressMeter, new DynamoFootprint(
                    4 + 3, 2, Map.of("accounts", 2, "holds", 4 + 3, "keys", 2, "ledger", 1, "usage", 1), 24 + 3 * 2, 2));
        }
    }

    /** UpdateItem calls on a request's hold (not the account's stream-slot item, also in the holds table). */
    private static long progressRecords(List<DynamoMeter.Call> calls) {
        return calls.stream().filter(c -> c.operation().equals("UpdateItem") && c.items().containsKey(prefix + "holds")
                && c.key() != null && !c.key().startsWith("streams#")).count();
    }

    /**
     * The footprint is as expected, every stored item is under 1 KB (so each item write is one unit before the
     * transaction's doubling), and docs/COSTS.md quotes this row.
     */
    private static void assertFootprint(String kind, DynamoMeter measured, DynamoFootprint expected)
            throws InterruptedException {
        await(measured::idle, "the DynamoDB calls under way");
        List<DynamoMeter.Call> calls = measured.calls();
        DynamoFootprint actual = DynamoFootprint.of(calls, prefix);
        assertThat(actual).as(kind + ", from the calls " + calls).isEqualTo(expected);
        DynamoTables tables = f.server.context().getBean(DynamoTables.class);
        assertThat(DynamoItemSize.largest(rawClient(), tables)).as("largest stored item, bytes").isLessThan(1024);
        assertThat(costsDoc()).as("docs/COSTS.md quotes the measured row for " + kind).contains(docRow(kind, actual));
    }

    /** The row of the DynamoDB table in docs/COSTS.md, as bench's CostTables prints it. */
    static String docRow(String kind, DynamoFootprint footprint) {
        int items = footprint.itemsWritten().values().stream().mapToInt(Integer::intValue).sum();
        return "| " + kind + " | " + footprint.writeCalls() + " | " + items + " | " + number(footprint.wru()) + " | "
                + footprint.readCalls() + " | " + number(footprint.rru()) + " |";
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String costsDoc() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "COSTS.md"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void flushFreeUsage() {
        f.server.context().getBean(UsageBatcher.class).flush();
    }

    private static void post(String path, TestServer.Account account, String body) {
        HttpResponse<String> response = Http.post(f.server.apiBase().resolve(path), account.key(), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void stream(TestServer server, TestServer.Account account) throws InterruptedException {
        assertThat(streamLines(server, account).getLast()).isEqualTo("data: [DONE]");
        awaitSlotReleased(account);
    }

    /**
     * A stream's slot is given back after its [DONE]: wait until DynamoDB shows it (read past the meters), then until
     * the meters have recorded every call under way, before counting or resetting.
     */
    private static void awaitSlotReleased(TestServer.Account account) throws InterruptedException {
        String table = prefix + "holds";
        Map<String, AttributeValue> key = Map.of("holdId", AttributeValue.fromS("streams#" + account.accountId()));
        await(() -> {
            Map<String, AttributeValue> slot = rawClient().getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
            return slot != null && "0".equals(slot.getOrDefault("openStreams", AttributeValue.fromN("0")).n());
        }, "the stream slot's release");
        await(() -> meters.stream().allMatch(DynamoMeter::idle), "the DynamoDB calls under way");
    }

    /** A client of the same DynamoDB Local that the meter does not see. */
    private static synchronized DynamoDbClient rawClient() {
        if (raw == null) {
            raw = LocalDynamo.clientFor(URI.create(f.server.context().getProperty("tollgate.dynamodb.endpoint", String.class)
                    .orElseThrow()));
        }
        return raw;
    }

    private static List<String> streamLines(TestServer server, TestServer.Account account) {
        URI chat = server.apiBase().resolve("/v1/chat/completions");
        HttpResponse<InputStream> response = Http.postStreaming(chat, account.key(), STREAM);
        assertThat(response.statusCode()).isEqualTo(200);
        try (Sse sse = new Sse(response.body())) {
            return sse.rest();
        }
    }

    /**
     * The first settlement of an account reads its alert and auto top-up settings after the response (then cached for
     * tollgate.key-cache-ttl): those reads must land before the steady state is measured.
     */
    private static void awaitSettingsRead(DynamoMeter measured, TestServer.Account account) throws InterruptedException {
        await(() -> measured.calls().stream().filter(c -> c.items().containsKey(prefix + "alerts") && c.key() != null
                        && c.key().startsWith(account.accountId() + "/")).count() >= 2,
                "the first paid request's alert and auto top-up checks");
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1); // polling with a deadline, not waiting for time to pass
        }
    }
}
