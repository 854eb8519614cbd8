package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who sees which requests, and how the query parameters are checked before any read. */
class RequestLogServiceTest {

    static final Instant T = Instant.parse("2026-05-01T00:00:00Z");
    final Log log = new Log();
    final RequestLogService service = new RequestLogService(log);
    final ApiKey management = ApiKey.create("key_m", "acct_1", KeySecret.generate(), "m", KeyRole.MANAGEMENT, T);
    final ApiKey inference = ApiKey.create("key_i", "acct_1", KeySecret.generate(), "i", KeyRole.INFERENCE, T);

    @Test
    void anInferenceKeysFilterIsForcedToItsOwnKey() {
        service.list(inference, RequestQuery.ALL);
        assertThat(log.filter).isEqualTo(new RequestFilter("acct_1", "key_i", null, null, null, null));

        service.list(management, RequestQuery.ALL);
        assertThat(log.filter.keyId()).isNull();

        service.listAccount("acct_2", RequestQuery.ALL.withKeyId("key_x"));
        assertThat(log.filter).isEqualTo(new RequestFilter("acct_2", "key_x", null, null, null, null));

        assertThatThrownBy(() -> service.list(inference, RequestQuery.ALL.withKeyId("key_m")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.param()).isEqualTo("key_id");
                });
    }

    @Test
    void anotherKeysRequestIsNotFoundForAnInferenceKey() {
        log.record = request("key_m");
        assertThat(service.get(management, "req_1").requestId()).isEqualTo("req_1");
        assertThatThrownBy(() -> service.get(inference, "req_1")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        log.record = request("key_i");
        assertThat(service.get(inference, "req_1").keyId()).isEqualTo("key_i");
        assertThat(service.getInAccount("acct_1", "req_1").keyId()).isEqualTo("key_i");
    }

    @Test
    void parametersAreParsedAndCheckedBeforeAnyRead() {
        service.list(management, new RequestQuery(" key_a ", "gemma3:1b", "client_disconnect", "2026-05-01",
                "2026-05-01", "7", new LedgerCursor("2026-05-01T00:00:01.000000000Z", "req_9").encode()));
        assertThat(log.filter).isEqualTo(new RequestFilter("acct_1", "key_a", "gemma3:1b", "client_disconnect", T,
                T.plusSeconds(86_400)));
        assertThat(log.limit).isEqualTo(7);
        assertThat(log.after).isEqualTo(new LedgerCursor("2026-05-01T00:00:01.000000000Z", "req_9"));

        log.filter = null;
        for (RequestQuery bad : new RequestQuery[] {
                new RequestQuery(null, null, null, null, null, "0", null),
                new RequestQuery(null, null, "done", null, null, null, null),
                new RequestQuery(null, null, null, "2026-05-02", "2026-05-01", null, null),
                new RequestQuery(null, null, null, null, null, null, "abc"),
                new RequestQuery("k\u0000", null, null, null, null, null, null)}) {
            assertThatThrownBy(() -> service.list(management, bad)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        assertThat(log.filter).as("nothing was read").isNull();
        assertThatThrownBy(() -> service.get(management, "x".repeat(500))).isInstanceOf(ApiException.class);
        assertThat(log.finds).as("an impossible id is not looked up").isZero();
    }

    private static RequestRecord request(String keyId) {
        return new RequestRecord("req_1", "acct_1", T, keyId, null, "m", null, false, TokenUsage.NONE, Money.ZERO, Money.ZERO,
                null, Money.ZERO, 1, "ok", false, false);
    }

    static final class Log implements RequestLog {
        RequestFilter filter;
        int limit;
        LedgerCursor after;
        RequestRecord record;
        int finds;

        @Override
        public RequestPage list(RequestFilter filter, int limit, LedgerCursor after) {
            this.filter = filter;
            this.limit = limit;
            this.after = after;
            return new RequestPage(java.util.List.of(), null);
        }

        @Override
        public Optional<RequestRecord> find(String accountId, String requestId) {
            finds++;
            return Optional.ofNullable(record).filter(r -> r.accountId().equals(accountId) && r.requestId().equals(requestId));
        }
    }
}
