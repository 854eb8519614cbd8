package dev.tollgate.store.dynamo;

import dev.tollgate.money.Money;
import dev.tollgate.topups.DisputeTarget;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpLedger;
import dev.tollgate.topups.TopUpState;
import dev.tollgate.topups.TopUpStore.DisputeApplied;
import dev.tollgate.topups.TopUpStore.DisputeApplied.Step;
import dev.tollgate.topups.TopUpStore.DisputeChange;
import dev.tollgate.topups.TopUpStore.Refund;
import dev.tollgate.topups.TopUpStore.RefundFailure;
import dev.tollgate.topups.TopUpStore.RefundReturned;
import dev.tollgate.topups.TopUpStore.Reversed;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The money that goes back after a top-up was paid: refunds, disputes held and released, failed refunds
 * given back. Each step is one transaction of three items, always in this order: the order (its
 * condition is the state that was read), the account (debit beyond the balance owes the rest; a credit
 * pays what is owed first), the ledger entry (its id is the step's idempotency key). A failed condition on
 * the order or the account means a concurrent step got there first: read again and decide again; a
 * failed ledger condition means this very step was applied before.
 */
final class DynamoTopUpReversals {

    private static final int MAX_ROUNDS = 20;
    private static final int LEDGER = 2;

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;
    private final TopUpWrites writes;
    private final BalanceWrites balanceWrites;
    private final AccountDebts debts;

    DynamoTopUpReversals(DynamoDbClient dynamo, DynamoTables tables, TopUpWrites writes, AccountDebts debts) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.writes = writes;
        this.balanceWrites = new BalanceWrites(tables);
        this.debts = debts;
    }

    Reversed refund(TopUp order, Refund refund) {
        TopUp current = order;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Money seen = current.refunded();
            Money delta = refund.total().minus(seen).min(current.refundable());
            if (!delta.isPositive()) {
                return Reversed.NOTHING;
            }
            AccountDebts.State account = account(current);
            Money taken = delta.min(account.balance().max(Money.ZERO));
            Money shortfall = delta.minus(taken);
            List<CancellationReason> reasons = Transactions.write(dynamo, List.of(
                    writes.refund(current.topupId(), seen, seen.plus(delta), refund.eventId()),
                    debit(current.accountId(), taken, shortfall),
                    writes.ledger(TopUpLedger.refund(current, refund, taken, shortfall), refund.eventId(),
                            current.sessionId(), current.paymentIntentId())));
            if (reasons == null) {
                return new Reversed(true, taken, shortfall);
            }
            if (Transactions.failed(reasons, LEDGER)) {
                return Reversed.NOTHING; // this event was applied before
            }
            current = reread(current);
        }
        throw new IllegalStateException("could not refund top-up " + order.topupId() + ": it kept changing");
    }

    DisputeApplied dispute(TopUp order, DisputeChange change) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<String, AttributeValue> item = item(order.topupId());
            TopUp current = TopUpItems.fromItem(item);
            TopUpItems.DisputeState state = TopUpItems.dispute(item, change.disputeId());
            DisputeApplied done = change.target() == DisputeTarget.HELD ? hold(current, state, change)
                    : release(current, state, change);
            if (done != null) {
                return done;
            }
        }
        throw new IllegalStateException("could not apply dispute " + change.disputeId() + " to top-up "
                + order.topupId() + ": it kept changing");
    }

    /** The hold, or null when a concurrent step changed what was read. */
    private DisputeApplied hold(TopUp order, TopUpItems.DisputeState state, DisputeChange change) {
        if (state != null || order.state() != TopUpState.PAID) {
            return new DisputeApplied(Step.UNCHANGED, Money.ZERO, Money.ZERO); // held already, or released for good
        }
        Money held = change.amount().min(order.disputable());
        TransactWriteItem mark = writes.holdDispute(order, change.disputeId(), held, change.eventId(), change.status());
        if (held.isZero()) {
            return Transactions.write(dynamo, List.of(mark)) == null ? new DisputeApplied(Step.RECORDED, Money.ZERO, Money.ZERO) : null;
        }
        AccountDebts.State account = account(order);
        Money taken = held.min(account.balance().max(Money.ZERO));
        Money shortfall = held.minus(taken);
        List<CancellationReason> reasons = Transactions.write(dynamo, List.of(mark,
                debit(order.accountId(), taken, shortfall),
                writes.ledger(TopUpLedger.disputeHeld(order, change, held, shortfall), change.eventId(),
                        order.sessionId(), order.paymentIntentId())));
        if (reasons == null) {
            return new DisputeApplied(Step.TOOK, held, shortfall);
        }
        // A ledger entry without the order's dispute attribute: a lost dispute recorded before disputes were held.
        return Transactions.failed(reasons, LEDGER) ? new DisputeApplied(Step.UNCHANGED, Money.ZERO, Money.ZERO) : null;
    }

    /** The release, or null when a concurrent step changed what was read. */
    private DisputeApplied release(TopUp order, TopUpItems.DisputeState state, DisputeChange change) {
        if (state == null) {
            TransactWriteItem mark = writes.releaseUnseen(order.topupId(), change.disputeId(), change.eventId(), change.status());
            return Transactions.write(dynamo, List.of(mark)) == null ? new DisputeApplied(Step.RECORDED, Money.ZERO, Money.ZERO) : null;
        }
        if (state.released()) {
            return new DisputeApplied(Step.UNCHANGED, Money.ZERO, Money.ZERO);
        }
        Money held = state.held();
        TransactWriteItem mark = writes.releaseHeld(order.topupId(), change.disputeId(), held, change.eventId());
        if (held.isZero()) {
            return Transactions.write(dynamo, List.of(mark)) == null ? new DisputeApplied(Step.RECORDED, Money.ZERO, Money.ZERO) : null;
        }
        AccountDebts.State account = account(order);
        Money owed = account.debt().max(Money.ZERO);
        Money paid = owed.min(held);
        List<CancellationReason> reasons = Transactions.write(dynamo, List.of(mark,
                debts.credit(order.accountId(), held, paid, owed),
                writes.ledger(TopUpLedger.disputeReleased(order, change, held, paid), change.eventId(),
                        order.sessionId(), order.paymentIntentId())));
        if (reasons == null) {
            return new DisputeApplied(Step.GAVE_BACK, held, paid);
        }
        return Transactions.failed(reasons, LEDGER) ? new DisputeApplied(Step.UNCHANGED, Money.ZERO, Money.ZERO) : null;
    }

    RefundReturned refundFailed(TopUp order, RefundFailure failure) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<String, AttributeValue> item = item(order.topupId());
            TopUp current = TopUpItems.fromItem(item);
            if (TopUpItems.refundReturned(item, failure.refundId())) {
                return new RefundReturned(RefundReturned.Step.ALREADY, Money.ZERO);
            }
            if (current.state() != TopUpState.PAID || current.refunded().lessThan(failure.amount())) {
                return new RefundReturned(RefundReturned.Step.NOT_TAKEN_YET, Money.ZERO);
            }
            AccountDebts.State account = account(current);
            Money owed = account.debt().max(Money.ZERO);
            Money paid = owed.min(failure.amount());
            List<CancellationReason> reasons = Transactions.write(dynamo, List.of(
                    writes.returnRefund(current.topupId(), failure.refundId(), current.refunded(), failure.amount(),
                            failure.eventId()),
                    debts.credit(current.accountId(), failure.amount(), paid, owed),
                    writes.ledger(TopUpLedger.refundReturned(current, failure, paid), failure.eventId(),
                            current.sessionId(), current.paymentIntentId())));
            if (reasons == null) {
                return new RefundReturned(RefundReturned.Step.RETURNED, paid);
            }
            if (Transactions.failed(reasons, LEDGER)) {
                return new RefundReturned(RefundReturned.Step.ALREADY, Money.ZERO);
            }
        }
        throw new IllegalStateException("could not give back refund " + failure.refundId() + ": top-up "
                + order.topupId() + " kept changing");
    }

    /** Takes {@code taken} from the balance and, when it is short, owes {@code shortfall} beside it. */
    private TransactWriteItem debit(String accountId, Money taken, Money shortfall) {
        return shortfall.isZero() ? balanceWrites.debitAccount(accountId, taken, false)
                : debts.debitWithShortfall(accountId, taken, shortfall);
    }

    private AccountDebts.State account(TopUp order) {
        return debts.read(order.accountId()).orElseThrow(() -> new IllegalStateException(
                "top-up " + order.topupId() + " names a missing account " + order.accountId()));
    }

    private Map<String, AttributeValue> item(String topupId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.topups())
                .key(TopUpWrites.key(topupId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            throw new IllegalStateException("top-up " + topupId + " disappeared");
        }
        return item;
    }

    private TopUp reread(TopUp order) {
        return TopUpItems.fromItem(item(order.topupId()));
    }
}
