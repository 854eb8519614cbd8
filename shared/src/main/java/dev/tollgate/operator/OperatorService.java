package dev.tollgate.operator;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyStore;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpService;
import dev.tollgate.topups.TopUpStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Operator use cases of the console that the /admin API has no service for: find accounts (by id: one read; by name:
 * a page of a scan), an account's keys and top-ups, and the deployment's health. Creating accounts and credits go
 * through {@code AccountService} and {@code BalanceAdjustments}, as {@code /admin} does.
 */
public final class OperatorService {

    private static final Pattern ACCOUNT_ID = Pattern.compile("acct_[a-z0-9]{20}");
    static final int SCAN_PAGE = 200;

    private final OperatorStore store;
    private final KeyStore keys;
    private final TopUpStore topUps;
    private final Clock clock;

    public OperatorService(OperatorStore store, KeyStore keys, TopUpStore topUps, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.topUps = topUps;
        this.clock = clock;
    }

    /** A listed account with when its money last moved. */
    public record Row(OperatorStore.AccountSummary account, Instant lastActivity) {
    }

    public record Found(List<Row> rows, String next) {
    }

    /** An account id finds that account; other text searches names, one scan page at a time. */
    public Found search(String query, String after) {
        String q = query == null ? "" : query.strip();
        if (ACCOUNT_ID.matcher(q).matches()) {
            return new Found(store.account(q).map(a -> List.of(row(a))).orElse(List.of()), null);
        }
        OperatorStore.AccountPage page = store.searchByName(q, after, SCAN_PAGE);
        return new Found(page.accounts().stream().map(this::row).toList(), page.next());
    }

    public Optional<Row> account(String accountId) {
        return store.account(accountId).map(this::row);
    }

    /** Every key of the account, revoked ones too, oldest first. */
    public List<ApiKey> keys(String accountId) {
        return keys.listByAccount(accountId).stream()
                .sorted(Comparator.comparing(ApiKey::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
    }

    public List<TopUp> topUps(String accountId) {
        return topUps.listByAccount(accountId, TopUpService.MAX_LISTED);
    }

    /** What the health page shows. */
    public record Health(OperatorStore.Holds holds, OperatorStore.Debts debts,
                         Optional<OperatorStore.ReconcilerRun> reconciler, Instant asOf) {
    }

    public Health health() {
        Instant now = clock.instant();
        return new Health(store.holds(now), store.debts(), store.lastReconcilerRun(), now);
    }

    /** Called after each reconciler run, wherever it ran; a failure to record it is the caller's to log, not fatal. */
    public void recordReconcilerRun(int closed) {
        store.recordReconcilerRun(clock.instant(), closed);
    }

    private Row row(OperatorStore.AccountSummary account) {
        return new Row(account, store.lastActivity(account.accountId()).orElse(null));
    }
}
