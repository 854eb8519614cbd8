package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins the expressions of top-ups and account debt (STYLE.md 4), like {@link ConditionExpressionsTest} does
 * for holds and charges. Loosening one of these is how a top-up would be credited twice, a refund debited
 * twice, a dispute held or given back twice, or an account in debt would keep spending.
 */
class TopUpConditionExpressionsTest {

    @Test
    void anOrderIsCreatedOnceAndGetsOneCheckoutSession() {
        assertThat(TopUpWrites.CREATE_IF).isEqualTo("attribute_not_exists(topupId)");
        assertThat(TopUpWrites.ATTACH_SESSION).isEqualTo("SET sessionId = :sid, checkoutUrl = :url");
        assertThat(TopUpWrites.ATTACH_EXPIRY).isEqualTo(", expiresAt = :exp");
        assertThat(TopUpWrites.ATTACH_SESSION_IF)
                .isEqualTo("attribute_exists(topupId) AND (attribute_not_exists(sessionId) OR sessionId = :sid)");
    }

    @Test
    void onlyAnUnpaidOrderBecomesPaidOrClosed() {
        assertThat(TopUpWrites.MARK_PAID).isEqualTo("SET #state = :paid, paidAt = :at, paidEventId = :evt, sessionId = :sid");
        assertThat(TopUpWrites.MARK_PAID_INTENT).isEqualTo(", paymentIntentId = :pi");
        assertThat(TopUpWrites.UNPAID_IF).isEqualTo("#state IN (:pending, :expired, :failed)");
        assertThat(TopUpWrites.CLOSE).isEqualTo("SET #state = :to, reason = :why, lastEventId = :evt");
    }

    @Test
    void aRefundMovesOnlyTheCumulativeTotalItRead() {
        assertThat(TopUpWrites.REFUND).isEqualTo("SET refunded = :total, lastEventId = :evt");
        assertThat(TopUpWrites.REFUND_IF).isEqualTo("#state = :paid AND refunded = :seen");
    }

    @Test
    void aDisputeIsHeldOnceSizedFromTheTotalsItReadAndReleasedOnlyFromHeld() {
        assertThat(TopUpWrites.HOLD_DISPUTE).isEqualTo("SET #dispute = :dispute, disputed = :disputed, lastEventId = :evt");
        assertThat(TopUpWrites.HOLD_DISPUTE_IF).isEqualTo(
                "#state = :paid AND attribute_not_exists(#dispute) AND refunded = :refunded AND disputed = :seen");
        assertThat(TopUpWrites.RELEASE_HELD).isEqualTo(
                "SET #dispute.#st = :released, #dispute.releasedBy = :evt, lastEventId = :evt ADD disputed :minus");
        assertThat(TopUpWrites.RELEASE_HELD_IF).isEqualTo("#dispute.#st = :held");
        assertThat(TopUpWrites.RELEASE_UNSEEN).isEqualTo("SET #dispute = :dispute, lastEventId = :evt");
        assertThat(TopUpWrites.RELEASE_UNSEEN_IF).isEqualTo("attribute_exists(topupId) AND attribute_not_exists(#dispute)");
    }

    @Test
    void aFailedRefundIsGivenBackOnceFromTheRefundedTotalItRead() {
        assertThat(TopUpWrites.RETURN_REFUND).isEqualTo("SET #refund = :refund, refunded = :total, lastEventId = :evt");
        assertThat(TopUpWrites.RETURN_REFUND_IF)
                .isEqualTo("#state = :paid AND attribute_not_exists(#refund) AND refunded = :seen");
    }

    @Test
    void anAccountInDebtCannotReserve() {
        assertThat(AccountDebts.DEBIT_UNLESS_IN_DEBT_IF).isEqualTo(
                "attribute_exists(accountId) AND balance >= :amount AND (attribute_not_exists(debt) OR debt <= :zero)");
    }

    @Test
    void creditsPayTheDebtThatWasReadFirst() {
        assertThat(AccountDebts.CREDIT_IF_NO_DEBT).isEqualTo("attribute_exists(accountId) AND (attribute_not_exists(debt) OR debt = :zero)");
        assertThat(AccountDebts.CREDIT_PAYING_DEBT).isEqualTo("ADD balance :net, debt :paid");
        assertThat(AccountDebts.CREDIT_PAYING_DEBT_IF).isEqualTo("attribute_exists(accountId) AND debt = :debt");
        assertThat(AccountDebts.REPAY_FROM_BALANCE).isEqualTo("SET balance = balance - :pay, debt = debt - :pay");
        assertThat(AccountDebts.REPAY_FROM_BALANCE_IF)
                .isEqualTo("attribute_exists(accountId) AND balance >= :pay AND debt = :debt");
    }

    @Test
    void aDebitBeyondTheBalanceTakesExactlyTheBalanceReadAndOwesTheRest() {
        assertThat(AccountDebts.DEBIT_WITH_SHORTFALL).isEqualTo("SET balance = balance - :taken ADD debt :shortfall");
        assertThat(AccountDebts.DEBIT_WITH_SHORTFALL_IF).isEqualTo("attribute_exists(accountId) AND balance = :taken");
    }
}
