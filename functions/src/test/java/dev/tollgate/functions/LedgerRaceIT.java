package dev.tollgate.functions;

import static dev.tollgate.functions.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.StripeEvents;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request log and the statement agree with the ledger and the balance after a race: many paid chat requests on
 * one account (buffered and streamed, two keys) released together with a Stripe refund, a Stripe dispute and a
 * request whose cost escapes its hold and the balance (debt), then a top-up that pays the debt. Every request in the
 * ledger is listed once; the statement's rows run from its opening balance to a closing balance that is the account's
 * balance, and its debt column ends at the account's debt.
 */
class LedgerRaceIT {

    static final int REQUESTS = 24;
    static FakeOpenAiUpstream debtor;
    static StripeFixture f;

    @BeforeAll
    static void start() throws Exception {
        debtor = FakeOpenAiUpstream.start();
        debtor.setDefault(Behavior.defaults().usage(100, 5)); // $23.00 at test/debtor's prices
        Path catalog = Path.of(LedgerRaceIT.class.getResource("/catalog/debtor-model.json").toURI());
        f = StripeFixture.start(Map.of("tollgate.catalog-files", List.of(catalog.toString()),
                "tollgate.upstreams.debtor.base-url", debtor.baseUrl().toString(),
                "tollgate.stream.max-open-per-account", 0));
    }

    @AfterAll
    static void stop() {
        f.close();
        debtor.close();
    }

    @Test
    void afterARaceWithRefundsDisputesAndDebtTheLogAndTheStatementAgreeWithTheLedgerAndTheBalance() throws Exception {
        TestServer.Account account = f.server.openAccount("0.00");
        String inference = json(Http.post(f.api("/v1/keys"), account.key(), "{\"name\":\"racer\",\"role\":\"inference\"}"))
                .get("key").asText();
        StripeFixture.TopUp first = f.paidTopUp(account, "10.00");

        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String key = i % 2 == 0 ? account.key() : inference;
            tasks.add(i % 3 == 0 ? () -> stream(key) : () -> chat(key, "qwen3:latest"));
        }
        tasks.add(() -> chat(account.key(), "test/debtor"));
        tasks.add(() -> deliver(refunded(first, 100)));
        tasks.add(() -> deliver(disputed(first, 200)));
        List<String> outcomes = race(tasks);

        List<String> requestIds = outcomes.stream().filter(o -> o.startsWith("req_")).toList();
        assertThat(requestIds).as("most requests ran (those after the debt are refused)").isNotEmpty();
        BalanceStore.Funds funds = f.server.balances().funds(account.accountId()).orElseThrow();
        assertThat(funds.debt().isPositive()).as("the debtor's cost escaped its hold and the balance").isTrue();
        assertAgreement(account, requestIds, funds);

        f.paidTopUp(account, "30.00"); // pays the debt first
        BalanceStore.Funds after = f.server.balances().funds(account.accountId()).orElseThrow();
        assertThat(after.debt()).isEqualTo(Money.ZERO);
        JsonNode statement = assertAgreement(account, requestIds, after);
        assertThat(kinds(statement)).contains("topup", "request", "refund", "dispute", "debt_repayment");
        List<JsonNode> topUps = lines(statement, "topup");
        assertThat(topUps).hasSize(2);
        assertThat(topUps.getFirst().at("/stripe/payment_intent_id").asText()).isEqualTo(first.paymentIntent());
        assertThat(topUps.getFirst().at("/stripe/checkout_session_id").asText()).isEqualTo(first.sessionId());
        assertThat(topUps.getFirst().get("amount_usd").asText()).isEqualTo("10.000000");
        assertThat(lines(statement, "refund").getFirst().get("reference").asText()).isEqualTo(first.chargeId());
        assertCsvAgrees(account, statement);
    }

    /** The log lists every request of the ledger once; the statement runs to the balance and the debt. */
    private static JsonNode assertAgreement(TestServer.Account account, List<String> requestIds, BalanceStore.Funds funds) {
        List<LedgerEntry> ledger = f.server.ledger(account.accountId());
        List<LedgerEntry> requests = ledger.stream()
                .filter(e -> e.type() == LedgerType.CHARGE && !e.entryId().contains("#")).toList();
        List<JsonNode> listed = RequestLogIT.all(f.server.baseUrl(), account.key(), "limit=7");
        List<String> listedIds = listed.stream().map(r -> r.get("id").asText()).toList();
        assertThat(listedIds).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(requests.stream().map(LedgerEntry::entryId).toList())
                .containsAll(requestIds);
        Map<String, LedgerEntry> byId = requests.stream().collect(Collectors.toMap(LedgerEntry::entryId, e -> e));
        for (JsonNode row : listed) {
            LedgerEntry entry = byId.get(row.get("id").asText());
            assertThat(row.get("charged_micros").asLong()).isEqualTo(-entry.amount().micros());
            assertThat(row.get("shortfall_micros").asLong()).isEqualTo(entry.request().shortfall().micros());
        }
        Money ledgerSum = ledger.stream().map(LedgerEntry::amount).reduce(Money.ZERO, Money::plus);
        assertThat(ledgerSum).as("no hold is open: the ledger sums to the balance").isEqualTo(funds.balance());

        HttpResponse<String> response = Http.get(f.api("/v1/statement?start=2000-01-01"), account.key());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode statement = json(response);
        long balance = statement.get("opening_balance_micros").asLong();
        long debt = statement.get("opening_debt_micros").asLong();
        assertThat(balance).isZero();
        assertThat(debt).isZero();
        for (JsonNode line : statement.get("data")) {
            balance += line.get("amount_micros").asLong();
            debt += line.get("debt_change_micros").asLong();
            assertThat(line.get("balance_micros").asLong()).as(line.toString()).isEqualTo(balance);
            assertThat(line.get("debt_micros").asLong()).as(line.toString()).isEqualTo(debt);
        }
        assertThat(balance).as("the rows sum to the closing balance").isEqualTo(statement.get("closing_balance_micros").asLong())
                .as("which is the account's balance").isEqualTo(funds.balance().micros());
        assertThat(debt).isEqualTo(statement.get("closing_debt_micros").asLong()).isEqualTo(funds.debt().micros());
        assertThat(statement.at("/now/held_micros").asLong()).as("no request in progress").isZero();
        assertThat(statement.at("/now/balance_micros").asLong()).isEqualTo(funds.balance().micros());
        Set<String> moving = requests.stream().filter(e -> !e.amount().isZero() || e.request().shortfall().isPositive())
                .map(LedgerEntry::entryId).collect(Collectors.toSet());
        assertThat(lines(statement, "request")).extracting(l -> l.get("request_id").asText())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(moving);
        assertThat(statement.get("data")).hasSize((int) ledger.stream()
                .filter(e -> !e.amount().isZero() || !e.debtChange().isZero()
                        || (e.request() != null && e.request().shortfall().isPositive())).count());
        return statement;
    }

    /** The CSV of the same statement: opening line, the same movements, closing line; the amounts add up. */
    private static void assertCsvAgrees(TestServer.Account account, JsonNode statement) {
        HttpResponse<String> csv = Http.get(f.api("/v1/statement?start=2000-01-01"), account.key(), Map.of("Accept", "text/csv"));
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.headers().firstValue("content-disposition").orElseThrow()).contains("attachment", ".csv");
        List<String> rows = List.of(csv.body().split("\r\n"));
        assertThat(rows.getFirst()).isEqualTo(String.join(",", dev.tollgate.ledger.StatementCsv.HEADER));
        assertThat(rows.get(1)).contains(",opening_balance,");
        assertThat(rows.getLast()).contains(",closing_balance,")
                .contains("," + statement.get("closing_balance_usd").asText() + ",");
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (String row : rows.subList(2, rows.size() - 1)) {
            String[] fields = CsvRows.split(row);
            sum = sum.add(new java.math.BigDecimal(fields[4]));
        }
        assertThat(sum.movePointRight(6).longValueExact()).isEqualTo(statement.get("closing_balance_micros").asLong()
                - statement.get("opening_balance_micros").asLong());
        assertThat(rows).hasSize(statement.get("data").size() + 3);
        List<String> again = List.of(Http.get(f.api("/v1/statement?start=2000-01-01&format=csv"), account.key()).body().split("\r\n"));
        assertThat(again.subList(0, again.size() - 1)).as("format=csv: the same, but for the closing line's time")
                .isEqualTo(rows.subList(0, rows.size() - 1));
    }

    private static List<String> race(List<Callable<String>> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        List<Callable<String>> shuffled = new ArrayList<>(tasks);
        Collections.shuffle(shuffled);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<String> task : shuffled) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        }
    }

    /** The request id of a 200, or "refused" for a 403 (the account is in debt or short). */
    private static String chat(String key, String model) {
        HttpResponse<String> response = Http.post(f.api("/v1/chat/completions"), key,
                "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        return outcome(response.statusCode(), response.body(), response.headers().firstValue("x-request-id").orElse(null));
    }

    private static String stream(String key) throws Exception {
        HttpResponse<InputStream> response = Http.postStreaming(f.api("/v1/chat/completions"), key,
                "{\"model\":\"qwen3:latest\",\"stream\":true,\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (response.statusCode() == 200) {
            assertThat(body).contains("[DONE]");
        }
        return outcome(response.statusCode(), body, response.headers().firstValue("x-request-id").orElse(null));
    }

    private static String outcome(int status, String body, String requestId) {
        if (status == 200) {
            return requestId;
        }
        assertThat(status).as(body).isEqualTo(403);
        assertThat(body).contains("insufficient_quota");
        return "refused";
    }

    private static String deliver(String payload) {
        HttpResponse<String> response = f.deliver(payload);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return "stripe:" + json(response).get("outcome").asText();
    }

    private static String refunded(StripeFixture.TopUp topUp, long cumulativeCents) {
        return StripeEvents.edit(StripeEvents.load("charge.refunded", topUp.values()),
                e -> StripeEvents.object(e).put("amount_refunded", cumulativeCents).put("refunded", false));
    }

    private static String disputed(StripeFixture.TopUp topUp, long cents) {
        return StripeEvents.edit(StripeEvents.load("charge.dispute.created", topUp.values()),
                e -> StripeEvents.object(e).put("amount", cents));
    }

    private static List<String> kinds(JsonNode statement) {
        List<String> kinds = new ArrayList<>();
        statement.get("data").forEach(l -> kinds.add(l.get("kind").asText()));
        return kinds;
    }

    private static List<JsonNode> lines(JsonNode statement, String kind) {
        List<JsonNode> lines = new ArrayList<>();
        statement.get("data").forEach(l -> {
            if (l.get("kind").asText().equals(kind)) {
                lines.add(l);
            }
        });
        return lines;
    }
}
