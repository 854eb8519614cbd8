package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hard prepaid cap for embeddings, through the whole server, as BillingRaceIT does for chat: 10×N
 * concurrent requests against a balance (or key budget) that covers exactly N. Each request costs 1 µ$
 * (a few tokens at $0.005 or $0.01 per million, rounded up once), on both billing paths: the in-process
 * model's single conditional write and the upstream model's hold and settle.
 */
class EmbeddingsRaceIT {

    static final int N = 15;
    static final Money COST = Money.ofMicros(1);
    static TestServer server;
    static URI embeddings;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        embeddings = server.apiBase().resolve("/v1/embeddings");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void inProcessRequestsNeverOverspendTheAccountBalance() throws Exception {
        TestServer.Account account = server.openAccount(Money.ofMicros(COST.micros() * N).toDollars());

        assertThat(fire(account.key(), "all-minilm-l6-v2", "balance")).isEqualTo(N);

        assertSpentExactly(account.accountId(), Money.ZERO);
    }

    @Test
    void inProcessRequestsNeverOverspendAKeyBudget() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        KeySecret secret = KeySecret.generate();
        ApiKey budgeted = new ApiKey(Ids.newId("key"), account.accountId(), secret.hash(), secret.prefix(), "budgeted",
                KeyRole.INFERENCE, Money.ofMicros(COST.micros() * N), Money.ZERO, Set.of(), null, false, null, Instant.now(), null);
        DynamoKeyStore keys = server.context().getBean(DynamoKeyStore.class);
        keys.create(budgeted);

        assertThat(fire(secret.secret(), "all-minilm-l6-v2", "budget")).isEqualTo(N);

        assertThat(keys.findByHash(secret.hash()).orElseThrow().spent()).isEqualTo(budgeted.budget());
        assertSpentExactly(account.accountId(), Money.parseDollars("1.00").minus(budgeted.budget()));
    }

    @Test
    void upstreamRequestsNeverOverspendTheAccountBalance() throws Exception {
        TestServer.Account account = server.openAccount(Money.ofMicros(COST.micros() * N).toDollars());

        assertThat(fire(account.key(), "nomic-embed-text", "balance")).isEqualTo(N);

        assertSpentExactly(account.accountId(), Money.ZERO);
    }

    private static void assertSpentExactly(String accountId, Money balance) {
        assertThat(server.balance(accountId)).isEqualTo(balance);
        assertThat(server.ledgerSum(accountId)).isEqualTo(balance);
        assertThat(server.ledger(accountId).stream().filter(e -> e.request() != null && !e.amount().isZero())).hasSize(N)
                .allSatisfy(e -> assertThat(e.amount()).isEqualTo(COST.negate()));
    }

    /** Fires 10×N concurrent requests; returns how many got 200 and checks every other one got 403. */
    private static int fire(String key, String model, String limitWord) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"input\":\"a short sentence\"}";
        int ok = 0;
        for (HttpResponse<String> response : Http.postAllAtOnce(embeddings, key, body, 10 * N)) {
            if (response.statusCode() == 200) {
                ok++;
                assertThat(response.body()).contains("\"cost\":\"0.000001\"");
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
                assertThat(response.body()).contains("insufficient_quota").contains(limitWord);
            }
        }
        return ok;
    }
}
