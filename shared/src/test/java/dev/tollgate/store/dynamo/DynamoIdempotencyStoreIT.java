package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.Hold;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.idempotency.Fingerprint;
import dev.tollgate.idempotency.IdempotencyRecord;
import dev.tollgate.idempotency.IdempotencyStore.HoldState;
import dev.tollgate.idempotency.IdempotentRequests;
import dev.tollgate.idempotency.IdempotentRequests.Begin;
import dev.tollgate.idempotency.StoredResponse;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} records in DynamoDB Local with an injected clock: the 24 h TTL, the lease after which a dead
 * attempt is taken over, and the proof that a takeover never makes a second charge (one hold per request id).
 */
class DynamoIdempotencyStoreIT {

    private static final Duration LEASE = Duration.ofMinutes(15);
    private static final Duration TTL = Duration.ofHours(24);
    private static final StoredResponse ANSWER = new StoredResponse(200,
            List.of(new StoredResponse.Header("Content-Type", "application/json"),
                    new StoredResponse.Header("x-request-id", "req_1")), "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));

    private static LocalDynamo dynamo;
    private static BalanceFixture fixture;
    private final MutableClock clock = new MutableClock(BalanceFixture.T0);

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        fixture = new BalanceFixture(dynamo.client());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private IdempotentRequests requests(int maxStoredBytes) {
        return new IdempotentRequests(new DynamoIdempotencyStore(dynamo.client(), fixture.tables), clock, LEASE, TTL,
                maxStoredBytes);
    }

    private static String fingerprint(String body) {
        return Fingerprint.of("POST", "/v1/chat/completions", null, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCompletedAnswerIsReplayedUntilTheTtlEndsAndThenTheKeyRunsAgain() {
        IdempotentRequests requests = requests(1000);
        String account = Ids.newId("acct");
        IdempotencyRecord claim = ((Begin.Run) requests.begin(account, "k1", fingerprint("{}"))).claim();
        requests.succeeded(claim, ANSWER);

        clock.advance(TTL.minusSeconds(1));
        Begin replay = requests.begin(account, "k1", fingerprint("{}"));
        assertThat(replay).isInstanceOf(Begin.Replay.class);
        StoredResponse stored = ((Begin.Replay) replay).response();
        assertThat(stored.body()).isEqualTo(ANSWER.body());
        assertThat(stored.headers()).isEqualTo(ANSWER.headers());

        clock.advance(Duration.ofSeconds(1));
        Begin again = requests.begin(account, "k1", fingerprint("{\"other\":1}"));
        assertThat(again).as("expired by the clock, though DynamoDB has not deleted it").isInstanceOf(Begin.Run.class);
        assertThat(((Begin.Run) again).claim().requestId()).isNotEqualTo(claim.requestId());
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndKeyOrderDoesNotMatter() {
        IdempotentRequests requests = requests(1000);
        String account = Ids.newId("acct");
        IdempotencyRecord claim = ((Begin.Run) requests.begin(account, "k", fingerprint("{\"a\":1,\"b\":2}"))).claim();
        requests.succeeded(claim, ANSWER);
        assertThat(requests.begin(account, "k", fingerprint("{ \"b\": 2, \"a\": 1 }"))).isInstanceOf(Begin.Replay.class);
        assertThatThrownBy(() -> requests.begin(account, "k", fingerprint("{\"a\":1,\"b\":3}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void aRunningRequestIs409WithRetryAfterAndAnotherAccountsKeyIsIndependent() {
        IdempotentRequests requests = requests(1000);
        String account = Ids.newId("acct");
        requests.begin(account, "shared", fingerprint("{}"));
        assertThatThrownBy(() -> requests.begin(account, "shared", fingerprint("{}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_IN_USE);
                    assertThat(e.headers()).containsKey("Retry-After");
                });
        assertThat(requests.begin(Ids.newId("acct"), "shared", fingerprint("{\"x\":1}"))).isInstanceOf(Begin.Run.class);
    }

    @Test
    void anAnswerTooLargeToKeepIsRefusedToRetriesNeverRunAgain() {
        IdempotentRequests requests = requests(5);
        String account = Ids.newId("acct");
        IdempotencyRecord claim = ((Begin.Run) requests.begin(account, "big", fingerprint("{}"))).claim();
        requests.succeeded(claim, ANSWER);
        assertThatThrownBy(() -> requests.begin(account, "big", fingerprint("{}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENT_RESPONSE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("too large").contains(claim.requestId());
                });
    }

    @Test
    void anErrorThatChargedNothingReleasesTheKey() {
        IdempotentRequests requests = requests(1000);
        String account = Ids.newId("acct");
        IdempotencyRecord claim = ((Begin.Run) requests.begin(account, "e", fingerprint("{}"))).claim();
        requests.failed(claim, new StoredResponse(400, List.of(), "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(requests.begin(account, "e", fingerprint("{}"))).isInstanceOf(Begin.Run.class);
    }

    @Test
    void anErrorAfterAChargeIsKeptAsTheAnswer() throws Exception {
        IdempotentRequests requests = requests(1000);
        ApiKey key = fixture.account(1_000_000);
        IdempotencyRecord claim = ((Begin.Run) requests.begin(key.accountId(), "c", fingerprint("{}"))).claim();
        Hold hold = holdFor(key, claim.requestId());
        fixture.balances.reserve(hold);
        fixture.balances.settle(hold, BalanceFixture.charge(hold, 300));
        requests.failed(claim, new StoredResponse(502, List.of(), "{\"error\":{}}".getBytes(StandardCharsets.UTF_8)));
        Begin replay = requests.begin(key.accountId(), "c", fingerprint("{}"));
        assertThat(((Begin.Replay) replay).response().status()).isEqualTo(502);
    }

    @Test
    void aClaimWhoseAttemptDiedBeforeBillingIsTakenOverAfterItsLeaseUnderTheSameRequestId() {
        IdempotentRequests requests = requests(1000);
        String account = Ids.newId("acct");
        IdempotencyRecord dead = ((Begin.Run) requests.begin(account, "crash", fingerprint("{}"))).claim();
        clock.advance(LEASE.minusSeconds(1));
        assertThatThrownBy(() -> requests.begin(account, "crash", fingerprint("{}"))).isInstanceOf(ApiException.class);

        clock.advance(Duration.ofSeconds(1));
        IdempotencyRecord next = ((Begin.Run) requests.begin(account, "crash", fingerprint("{}"))).claim();
        assertThat(next.requestId()).isEqualTo(dead.requestId());
        assertThat(next.owner()).isNotEqualTo(dead.owner());
        requests.succeeded(dead, new StoredResponse(200, List.of(), "late".getBytes(StandardCharsets.UTF_8)));
        requests.succeeded(next, ANSWER);
        Begin replay = requests.begin(account, "crash", fingerprint("{}"));
        assertThat(((Begin.Replay) replay).response().body()).as("the dead attempt's late answer is fenced off")
                .isEqualTo(ANSWER.body());
    }

    @Test
    void aClaimWhoseAttemptDiedAfterItsHoldIsRefusedNotRunAgain() throws Exception {
        IdempotentRequests requests = requests(1000);
        ApiKey key = fixture.account(1_000_000);
        IdempotencyRecord dead = ((Begin.Run) requests.begin(key.accountId(), "held", fingerprint("{}"))).claim();
        fixture.balances.reserve(holdFor(key, dead.requestId()));   // then kill -9: no settle, no answer recorded
        clock.advance(LEASE);
        assertThatThrownBy(() -> requests.begin(key.accountId(), "held", fingerprint("{}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENT_RESPONSE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("interrupted");
                });
        assertThatThrownBy(() -> requests.begin(key.accountId(), "held", fingerprint("{}")))
                .as("recorded as interrupted: every later retry is refused the same way")
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENT_RESPONSE_UNAVAILABLE));
    }

    /**
     * Why a takeover can never charge twice: both attempts bill under the claim's one request id, and billing opens
     * at most one hold per id, ever. Even an attempt that was only slow (a zombie past its lease) racing its
     * successor gets exactly one hold and one charge between them.
     */
    @Test
    void aZombieAndItsSuccessorShareOneRequestIdSoOnlyOneHoldAndOneChargeExist() throws Exception {
        IdempotentRequests requests = requests(1000);
        ApiKey key = fixture.account(1_000_000);
        IdempotencyRecord zombie = ((Begin.Run) requests.begin(key.accountId(), "z", fingerprint("{}"))).claim();
        clock.advance(LEASE.plusSeconds(1));
        IdempotencyRecord successor = ((Begin.Run) requests.begin(key.accountId(), "z", fingerprint("{}"))).claim();
        List<Object> outcomes = BalanceFixture.race(2, i -> () -> {
            Hold hold = holdFor(key, (i == 0 ? zombie : successor).requestId());
            fixture.balances.reserve(hold);
            fixture.balances.settle(hold, BalanceFixture.charge(hold, 400));
            return "charged";
        });
        assertThat(outcomes).filteredOn("charged"::equals).hasSize(1);
        assertThat(fixture.ledger(key.accountId())).filteredOn(e -> e.type() == LedgerType.CHARGE).hasSize(1);
        assertThat(fixture.balance(key.accountId())).isEqualTo(1_000_000 - 400);
        assertThat(new DynamoIdempotencyStore(dynamo.client(), fixture.tables).holdOf(key.accountId(), zombie.requestId()))
                .isEqualTo(HoldState.SETTLED);
    }

    private static Hold holdFor(ApiKey key, String requestId) {
        return new Hold(requestId, key.accountId(), key.keyId(), key.secretHash(), false, Money.ofMicros(1000),
                BalanceFixture.MODEL, BalanceFixture.T0, BalanceFixture.T0.plus(BalanceFixture.HOLD_TTL));
    }
}
