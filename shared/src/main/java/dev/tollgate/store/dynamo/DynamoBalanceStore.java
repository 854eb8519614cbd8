package dev.tollgate.store.dynamo;

import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.billing.BalanceStore;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.FreeRequestLog;
import dev.tollgate.billing.Hold;
import dev.tollgate.billing.InsufficientFundsException;
import dev.tollgate.billing.InsufficientFundsException.Limit;
import dev.tollgate.billing.KeyRefusedException;
import dev.tollgate.billing.RequestRate;
import dev.tollgate.billing.Settlement;
import dev.tollgate.billing.UsageRow;
import dev.tollgate.billing.UsageStore;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.ledger.RequestDetails;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import dev.tollgate.windows.SpendWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Balances, holds, ledger and usage counters in DynamoDB. Each public method is one
 * {@code TransactWriteItems} (one write request) whose items all carry conditions, so concurrent
 * requests can never take a balance or a key budget below zero, and a repeated call is a no-op.
 * The expressions live in {@link BalanceWrites}, where a test pins them.
 */
public final class DynamoBalanceStore implements BalanceStore, UsageStore, FreeRequestLog {

    private static final int MAX_SHORTFALL_ROUNDS = 5;
    /** Rounds of a reserve whose session guess was wrong; two suffice unless sessions keep turning over. */
    private static final int MAX_SESSION_ROUNDS = 5;

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;
    private final BalanceWrites writes;
    private final AccountDebts debts;
    private final HoldSettlements settlements;
    private final CounterItems counterItems;
    private final SessionStarts sessions = new SessionStarts();
    private final DynamoRateCounter rates;

    public DynamoBalanceStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.writes = new BalanceWrites(tables);
        this.debts = new AccountDebts(dynamo, tables);
        this.settlements = new HoldSettlements(dynamo, tables, writes, debts);
        this.counterItems = new CounterItems(tables);
        this.rates = new DynamoRateCounter(dynamo, counterItems);
    }

    /**
     * An account that owes money (a refund or lost dispute exceeded its balance) may not reserve. If money
     * came back since (settled holds, operator credits), the debt is paid from it first and the hold retried.
     */
    @Override
    public void reserve(Hold hold) throws InsufficientFundsException {
        reserve(hold, List.of(), null);
    }

    /** {@link #reserve(Hold)}, counted in the spend windows and the key's minute in the same transaction. */
    @Override
    public Hold reserve(Hold hold, List<SpendWindow> windows, RequestRate rate) throws InsufficientFundsException {
        ReserveCounters counters = new ReserveCounters(counterItems, sessions, windows, rate, hold.amount(),
                hold.createdAt());
        counters.refuseImpossible();
        Hold[] taken = new Hold[1];
        Money owed = reserveUnlessInDebt(hold, counters, taken);
        if (owed.isPositive()) {
            owed = settleDebt(hold.accountId(), "debt:" + hold.holdId(), hold.createdAt());
            if (owed.isZero()) {
                owed = reserveUnlessInDebt(hold, counters, taken);
            }
        }
        if (owed.isPositive()) {
            throw new AccountInDebtException(owed, null);
        }
        return taken[0];
    }

    /**
     * What the account still owes once as much of its debt as the balance allows is paid (ledger entry
     * {@code entryId}); zero for an account in good standing.
     */
    public Money settleDebt(String accountId, String entryId, Instant at) {
        return debts.repayFromBalance(accountId, entryId, at);
    }

    @Override
    public Funds fundsAfterDebt(String accountId, String entryId, Instant at) {
        AccountDebts.State state = debts.repayAndRead(accountId, entryId, at);
        return new Funds(state.balance(), state.debt());
    }

    /**
     * Takes the hold, or returns what the account owes when that refused it (zero when it was taken). A session
     * guessed wrong (another instance opened a new one) is tried again in the session the store holds.
     */
    private Money reserveUnlessInDebt(Hold hold, ReserveCounters counters, Hold[] taken) throws InsufficientFundsException {
        for (int round = 1; ; round++) {
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(debts.holdUnlessInDebt(hold.accountId(), hold.amount()));
            if (hold.keyBudgeted()) {
                items.add(writes.debitKey(hold.keyHash(), hold.amount(), hold.createdAt(), true));
            }
            List<TransactWriteItem> counted = new ArrayList<>();
            Hold recorded = counters.prepare(hold, counted);
            items.add(writes.openHold(recorded));
            int offset = items.size();
            items.addAll(counted);
            List<CancellationReason> reasons = Transactions.write(dynamo, items);
            if (reasons == null) {
                counters.committed();
                taken[0] = recorded;
                return Money.ZERO;
            }
            if (hold.keyBudgeted() && Transactions.failed(reasons, 1)) {
                refuseUnusableKey(hold.keyHash(), reasons.get(1), hold.createdAt());
            }
            if (Transactions.failed(reasons, 0) && oldAmount(reasons.get(0), "debt").isPositive()) {
                return oldAmount(reasons.get(0), "debt");
            }
            if (Transactions.failed(reasons, 0)) {
                throw new InsufficientFundsException(Limit.ACCOUNT_BALANCE, oldAmount(reasons.get(0), "balance"));
            }
            if (hold.keyBudgeted() && Transactions.failed(reasons, 1)) {
                throw new InsufficientFundsException(Limit.KEY_BUDGET, oldAmount(reasons.get(1), "remaining"));
            }
            if (counters.learnSessions(reasons, offset) && round < MAX_SESSION_ROUNDS) {
                continue;
            }
            counters.refuse(reasons, offset);
            throw new IllegalStateException("hold " + hold.holdId() + " already exists");
        }
    }

    @Override
    public String countRate(RequestRate rate, Instant now) {
        return rates.count(rate, now);
    }

    @Override
    public void settleRate(String rateItem, long unusedTokens) {
        rates.giveBack(rateItem, unusedTokens);
    }

    @Override
    public Settlement settle(Hold hold, Charge charge) {
        return settlements.settle(hold, charge);
    }

    @Override
    public void recordProgress(Hold hold, Charge soFar, boolean due) {
        settlements.recordProgress(hold, soFar, due);
    }

    @Override
    public Optional<Charge> recordedCharge(Hold hold) {
        return settlements.recorded(hold);
    }

    @Override
    public Settlement record(Charge charge) {
        List<TransactWriteItem> items = List.of(
                LedgerItems.append(tables, chargeEntry(charge, Money.ZERO, Money.ZERO, null)),
                writes.countUsage(charge, Money.ZERO));
        boolean duplicate = Transactions.write(dynamo, items) != null;
        return new Settlement(Money.ZERO, Money.ZERO, balanceNow(charge.accountId()), duplicate);
    }

    @Override
    public Settlement charge(Charge charge, String keyHash, boolean keyBudgeted) throws InsufficientFundsException {
        return charge(charge, keyHash, keyBudgeted, List.of(), null);
    }

    @Override
    public Settlement charge(Charge charge, String keyHash, boolean keyBudgeted, List<SpendWindow> windows,
                             RequestRate rate) throws InsufficientFundsException {
        ReserveCounters counters = new ReserveCounters(counterItems, sessions, windows, rate, charge.cost(), charge.at());
        counters.refuseImpossible();
        // Like reserve: an account that owes money is refused, unless money that came back since pays the debt.
        ChargeAttempt attempt = chargeUnlessInDebt(charge, keyHash, keyBudgeted, counters);
        if (attempt.owed().isPositive()) {
            Money owed = settleDebt(charge.accountId(), "debt:" + charge.requestId(), charge.at());
            attempt = owed.isZero() ? chargeUnlessInDebt(charge, keyHash, keyBudgeted, counters) : new ChargeAttempt(null, owed);
        }
        if (attempt.owed().isPositive()) {
            throw new AccountInDebtException(attempt.owed(), null);
        }
        return attempt.settlement();
    }

    /** One try at a direct charge: its settlement, or what the account owes when its debt refused it. */
    private record ChargeAttempt(Settlement settlement, Money owed) {
    }

    private ChargeAttempt chargeUnlessInDebt(Charge charge, String keyHash, boolean keyBudgeted, ReserveCounters counters)
            throws InsufficientFundsException {
        for (int round = 1; ; round++) {
            Money cost = charge.cost();
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(debts.debitUnlessInDebt(charge.accountId(), cost));
            if (keyBudgeted) {
                items.add(writes.debitKey(keyHash, cost, charge.at(), true));
            }
            int offset = items.size();
            counters.prepare(items);
            items.add(LedgerItems.append(tables, chargeEntry(charge, cost, Money.ZERO, null)));
            items.add(writes.countUsage(charge, cost));
            List<CancellationReason> reasons = Transactions.write(dynamo, items);
            if (reasons == null) {
                counters.committed();
                return new ChargeAttempt(new Settlement(cost, Money.ZERO, balanceNow(charge.accountId()), false), Money.ZERO);
            }
            // A repeated request id wins over a short balance: the first charge stands, nothing more is taken.
            if (Transactions.failed(reasons, items.size() - 2)) {
                return new ChargeAttempt(new Settlement(Money.ZERO, Money.ZERO, balanceNow(charge.accountId()), true), Money.ZERO);
            }
            if (keyBudgeted && Transactions.failed(reasons, 1)) {
                refuseUnusableKey(keyHash, reasons.get(1), charge.at());
            }
            if (Transactions.failed(reasons, 0) && oldAmount(reasons.get(0), "debt").isPositive()) {
                return new ChargeAttempt(null, oldAmount(reasons.get(0), "debt"));
            }
            if (Transactions.failed(reasons, 0)) {
                throw new InsufficientFundsException(Limit.ACCOUNT_BALANCE, oldAmount(reasons.get(0), "balance"));
            }
            if (keyBudgeted && Transactions.failed(reasons, 1)) {
                throw new InsufficientFundsException(Limit.KEY_BUDGET, oldAmount(reasons.get(1), "remaining"));
            }
            if (counters.learnSessions(reasons, offset) && round < MAX_SESSION_ROUNDS) {
                continue;
            }
            counters.refuse(reasons, offset);
            throw new IllegalStateException("charge " + charge.requestId() + " was refused: " + reasons);
        }
    }

    @Override
    public boolean reverse(Charge charge, String keyHash, boolean keyBudgeted) {
        return reverse(charge, keyHash, keyBudgeted, List.of());
    }

    /** The windows' items are those the charge was counted in moments ago: the same period, the same session. */
    @Override
    public boolean reverse(Charge charge, String keyHash, boolean keyBudgeted, List<SpendWindow> windows) {
        Money cost = charge.cost();
        List<TransactWriteItem> items = new ArrayList<>();
        new ReserveCounters(counterItems, sessions, windows, null, cost, charge.at()).windowIds()
                .forEach(id -> items.add(counterItems.adjustWindow(id, cost.negate())));
        items.add(writes.creditAccount(charge.accountId(), cost));
        if (keyBudgeted) {
            items.add(writes.creditKey(keyHash, cost));
        }
        LedgerEntry reversal = new LedgerEntry(charge.accountId(), charge.requestId() + "#reversed", LedgerType.CHARGE, cost,
                charge.at(), charge.keyId(), charge.requestId(), "reverses a charge whose work failed",
                new RequestDetails(charge.model(), TokenUsage.NONE, "reversed", charge.latencyMs(), Money.ZERO));
        items.add(LedgerItems.append(tables, reversal));
        items.add(LedgerItems.markReversed(tables, charge.accountId(), charge.requestId()));
        items.add(writes.uncountUsage(charge, cost));
        return Transactions.write(dynamo, items) == null;
    }

    /**
     * A credit adds to the balance (a debt the account owes is paid from it at its next request). A debit
     * takes what the balance holds and the rest becomes the account's {@code debt}, in the same transaction as
     * the ledger entry: the entry records what the balance gave (so the ledger still sums to the balance) and,
     * in its note, what became debt. The entry id makes the whole change happen once.
     */
    @Override
    public Settlement adjust(LedgerEntry entry) {
        if (!entry.amount().isNegative()) {
            List<CancellationReason> reasons = Transactions.write(dynamo, List.of(
                    writes.creditAccount(entry.accountId(), entry.amount()), LedgerItems.append(tables, entry)));
            if (reasons == null) {
                return new Settlement(entry.amount(), Money.ZERO, balanceNow(entry.accountId()), false);
            }
            if (Transactions.failed(reasons, 1)) {
                return new Settlement(Money.ZERO, Money.ZERO, balanceNow(entry.accountId()), true);
            }
            throw new IllegalArgumentException("account " + entry.accountId() + " does not exist");
        }
        Money wanted = entry.amount().negate();
        for (int round = 0; round < MAX_SHORTFALL_ROUNDS; round++) {
            AccountDebts.State state = debts.read(entry.accountId())
                    .orElseThrow(() -> new IllegalArgumentException("account " + entry.accountId() + " does not exist"));
            Money taken = wanted.min(state.balance().max(Money.ZERO));
            Money shortfall = wanted.minus(taken);
            String note = shortfall.isZero() ? entry.note() : (entry.note() == null ? "" : entry.note() + "; ")
                    + shortfall.display() + " exceeded the balance and is owed";
            LedgerEntry actual = new LedgerEntry(entry.accountId(), entry.entryId(), entry.type(), taken.negate(), entry.at(),
                    entry.keyId(), entry.reference(), note, entry.request(), shortfall);
            List<CancellationReason> reasons = Transactions.write(dynamo, List.of(
                    shortfall.isZero() ? writes.debitAccount(entry.accountId(), taken, false)
                            : debts.debitWithShortfall(entry.accountId(), taken, shortfall),
                    LedgerItems.append(tables, actual)));
            if (reasons == null) {
                return new Settlement(taken.negate(), shortfall, balanceNow(entry.accountId()), false);
            }
            if (Transactions.failed(reasons, 1)) {
                return new Settlement(Money.ZERO, Money.ZERO, balanceNow(entry.accountId()), true);
            }
            // The balance moved between the read and the write (a request settled): read it again.
        }
        throw new IllegalStateException("could not debit account " + entry.accountId() + ": its balance kept changing");
    }

    @Override
    public List<Hold> expiredHolds(Instant now, int limit) {
        List<Hold> expired = new ArrayList<>();
        for (int shard = 0; shard < HoldItems.SHARDS; shard++) {
            String partition = HoldItems.OPEN + "#" + shard;
            dynamo.query(b -> b.tableName(tables.holds()).indexName(DynamoTables.HOLDS_OPEN_BY_EXPIRY)
                            .keyConditionExpression("openShard = :s AND expiresAt < :now")
                            .expressionAttributeValues(Map.of(":s", Attr.s(partition), ":now", Attr.n(now.toEpochMilli())))
                            .limit(limit))
                    .items().forEach(item -> expired.add(HoldItems.fromItem(item)));
        }
        return expired.stream().sorted(Comparator.comparing(Hold::expiresAt)).limit(limit).toList();
    }

    @Override
    public boolean release(Hold hold, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(writes.closeHold(hold.holdId(), HoldItems.RELEASED, now));
        items.add(writes.returnFromHold(hold, hold.amount()));
        if (hold.keyBudgeted()) {
            items.add(writes.creditKey(hold.keyHash(), hold.amount()));
        }
        items.addAll(counterItems.corrections(hold, Money.ZERO, 0));
        Charge expired = new Charge(hold.holdId(), hold.accountId(), hold.keyId(), hold.model(), TokenUsage.NONE,
                Money.ZERO, "hold_expired", Duration.between(hold.createdAt(), now).toMillis(), now, hold.keyName(),
                hold.streamed());
        items.add(LedgerItems.append(tables, chargeEntry(expired, Money.ZERO, Money.ZERO, hold.amount())));
        return Transactions.write(dynamo, items) == null;
    }

    @Override
    public Optional<Money> balance(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId))).consistentRead(true).projectionExpression("balance")).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Money.ofMicros(Attr.num(item, "balance")));
    }

    @Override
    public Optional<Funds> funds(String accountId) {
        return debts.read(accountId).map(state -> new Funds(state.balance(), state.debt()));
    }

    /**
     * Every entry of the account in time order, free requests' unpacked (a pack written twice gives its entries once;
     * one that cannot be read is skipped with a warning, as the request log does).
     */
    @Override
    public List<LedgerEntry> ledger(String accountId) {
        Set<String> seen = new HashSet<>();
        return dynamo.queryPaginator(b -> b.tableName(tables.ledger()).indexName(DynamoTables.LEDGER_BY_TIME)
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))).consistentRead(true))
                .items().stream()
                .flatMap(item -> FreeEntryPacks.isPack(item) ? RequestMerge.unpacked(item).stream() : Stream.of(item))
                .filter(item -> seen.add(Attr.str(item, "entryId")))
                .sorted(Comparator.comparing((Map<String, AttributeValue> item) -> Attr.str(item, "at")))
                .map(LedgerItems::fromItem).toList();
    }

    @Override
    public List<UsageRow> usage(String accountId, LocalDate from, LocalDate to) {
        return dynamo.queryPaginator(b -> b.tableName(tables.usage())
                        .keyConditionExpression("accountId = :a AND dayModel BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId), ":from", Attr.s(from.toString()),
                                ":to", Attr.s(to.toString() + "#\uffff"))))
                .items().stream().map(i -> new UsageRow(Attr.str(i, "day"), Attr.str(i, "model"), Attr.num(i, "requests"),
                        Attr.num(i, "promptTokens"), Attr.num(i, "completionTokens"), Money.ofMicros(Attr.num(i, "costMicros"))))
                .toList();
    }

    @Override
    public void add(dev.tollgate.billing.UsageDelta delta) {
        dynamo.updateItem(writes.addUsage(delta));
    }

    /** Free requests' entries (zero amount), 25 to a BatchWriteItem as DynamoDB allows, outside any transaction. */
    @Override
    public void write(List<Charge> charges) {
        FreeEntryBatches.writeAll(dynamo, tables, charges);
    }

    static String day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }

    /** A request's ledger entry: what the request log shows of it. {@code hold} is {@code null} when nothing was held. */
    static LedgerEntry chargeEntry(Charge c, Money charged, Money shortfall, Money hold) {
        return new LedgerEntry(c.accountId(), c.requestId(), LedgerType.CHARGE, charged.negate(), c.at(),
                c.keyId(), null, null, new RequestDetails(c.model(), c.usage(), c.status(), c.latencyMs(), shortfall,
                        c.keyName(), c.streamed(), hold, c.route()), shortfall);
    }

    /**
     * A key whose item refused the debit because it is revoked, disabled or expired (as it is stored, whatever
     * this instance cached) is refused like authentication would; a key that is only short of budget is not.
     */
    private static void refuseUnusableKey(String keyHash, CancellationReason reason, Instant at) {
        Map<String, AttributeValue> old = reason.item();
        if (old == null || old.isEmpty()) {
            throw new KeyRefusedException(keyHash, "This API key no longer exists. Create a new key with a management key.");
        }
        String unusable = KeyItems.fromItem(old).unusableReason(at);
        if (unusable != null) {
            throw new KeyRefusedException(keyHash, unusable);
        }
    }

    private Money balanceNow(String accountId) {
        return balance(accountId).orElse(Money.ZERO);
    }

    private static Money oldAmount(CancellationReason reason, String attribute) {
        Map<String, AttributeValue> old = reason.item();
        // A budget lowered below what was spent leaves `remaining` negative: nothing is left, not less.
        return old == null || !old.containsKey(attribute) ? Money.ZERO : Money.ofMicros(Attr.num(old, attribute)).max(Money.ZERO);
    }
}
