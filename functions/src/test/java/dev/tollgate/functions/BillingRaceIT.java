package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import dev.tollgate.testkit.Behavior;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hard prepaid cap under concurrency, through the whole server: 10×N concurrent requests against
 * a balance (or a key budget) that covers exactly N. The fake upstream reports usage equal to the
 * hold (prompt = Tollgate's own estimate, completion = max_tokens), so each admitted request costs
 * exactly its hold and the number that succeed is exact.
 */
class BillingRaceIT {

    static final int N = 15;
    static final int MAX_TOKENS = 10;
    static final String MESSAGES = "[{\"role\":\"user\",\"content\":\"Tell me a story about a lighthouse\"}]";
    static TestServer server;
    static URI chat;
    static Money holdPerRequest;

    @BeforeAll
    static void start() throws Exception {
        // The subject is the balance under concurrency: the per-account cap on open streams (FairUseIT) is off here,
        // or it would refuse many of the racing streams before they reach the balance.
        server = TestServer.start(java.util.Map.of("tollgate.stream.max-open-per-account", 0));
        chat = server.apiBase().resolve("/v1/chat/completions");
        int prompt = new TokenCounter().countPrompt("o200k_base", new ObjectMapper().readTree(MESSAGES), null);
        server.upstream().setDefault(Behavior.of("a", "b").usage(prompt, MAX_TOKENS));
        holdPerRequest = server.context().getBean(Catalog.class).find("qwen3:latest").orElseThrow()
                .pricing().cost(prompt, MAX_TOKENS);
        assertThat(holdPerRequest.micros()).isPositive();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void bufferedRequestsNeverOverspendTheAccountBalance() throws Exception {
        TestServer.Account account = server.openAccount(dollars(holdPerRequest.micros() * N));
        assertRace(account.accountId(), account.key(), false, "balance");
    }

    @Test
    void streamedRequestsNeverOverspendTheAccountBalance() throws Exception {
        TestServer.Account account = server.openAccount(dollars(holdPerRequest.micros() * N));
        assertRace(account.accountId(), account.key(), true, "balance");
    }

    @Test
    void requestsNeverOverspendAKeyBudget() throws Exception {
        TestServer.Account account = server.openAccount("100.00");
        KeySecret secret = KeySecret.generate();
        ApiKey budgeted = new ApiKey(Ids.newId("key"), account.accountId(), secret.hash(), secret.prefix(), "budgeted",
                KeyRole.INFERENCE, Money.ofMicros(holdPerRequest.micros() * N), Money.ZERO, Set.of(), null, false, null,
                Instant.now(), null);
        server.context().getBean(DynamoKeyStore.class).create(budgeted);

        int succeeded = fire(secret.secret(), true, "budget");
        assertThat(succeeded).isEqualTo(N);
        ApiKey after = server.context().getBean(DynamoKeyStore.class).findByHash(secret.hash()).orElseThrow();
        assertThat(after.spent()).isEqualTo(budgeted.budget());
        assertThat(server.balance(account.accountId()))
                .isEqualTo(Money.parseDollars("100.00").minus(Money.ofMicros(holdPerRequest.micros() * N)));
        assertThat(server.ledgerSum(account.accountId())).isEqualTo(server.balance(account.accountId()));
    }

    private void assertRace(String accountId, String key, boolean stream, String limitWord) throws Exception {
        int succeeded = fire(key, stream, limitWord);
        assertThat(succeeded).isEqualTo(N);
        assertThat(server.balance(accountId)).isEqualTo(Money.ZERO);
        assertThat(server.ledgerSum(accountId)).isEqualTo(Money.ZERO);
        assertThat(server.ledger(accountId).stream().filter(e -> e.request() != null)).hasSize(N)
                .allSatisfy(e -> assertThat(e.amount()).isEqualTo(holdPerRequest.negate()));
    }

    /** Fires 10×N concurrent requests; returns how many got 200 and checks every other one got 403. */
    private int fire(String key, boolean stream, String limitWord) throws Exception {
        String body = "{\"model\":\"qwen3:latest\",\"max_tokens\":" + MAX_TOKENS + ",\"stream\":" + stream
                + ",\"messages\":" + MESSAGES + "}";
        int ok = 0;
        for (HttpResponse<String> response : Http.postAllAtOnce(chat, key, body, 10 * N)) {
            if (response.statusCode() == 200) {
                ok++;
                if (stream) {
                    assertThat(response.body()).endsWith("data: [DONE]\n\n");
                }
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
                assertThat(response.body()).contains("insufficient_quota").contains(limitWord);
            }
        }
        return ok;
    }

    private static String dollars(long micros) {
        return Money.ofMicros(micros).toDollars();
    }
}
