package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins every DynamoDB expression that moves money or guards an idempotency key (STYLE.md 4). A change here
 * must be deliberate: loosening a condition (dropping {@code balance >= :amount}, or an
 * {@code attribute_not_exists}) is how a balance goes negative or a payment is applied twice.
 */
class ConditionExpressionsTest {

    @Test
    void accountDebitOnlyWhenTheBalanceCoversIt() {
        assertThat(BalanceWrites.DEBIT_ACCOUNT).isEqualTo("SET balance = balance - :amount");
        assertThat(BalanceWrites.DEBIT_ACCOUNT_IF).isEqualTo("attribute_exists(accountId) AND balance >= :amount");
    }

    @Test
    void accountCreditOnlyOnAnExistingAccount() {
        assertThat(BalanceWrites.CREDIT_ACCOUNT).isEqualTo("ADD balance :amount");
        assertThat(BalanceWrites.CREDIT_ACCOUNT_IF).isEqualTo("attribute_exists(accountId)");
    }

    @Test
    void holdsMoveTheAccountsHeldTotalWithTheBalanceUnderTheSameConditions() {
        assertThat(BalanceWrites.HOLD_ON_ACCOUNT).isEqualTo("SET balance = balance - :amount ADD held :amount");
        assertThat(AccountDebts.DEBIT_UNLESS_IN_DEBT_IF)
                .isEqualTo("attribute_exists(accountId) AND balance >= :amount AND (attribute_not_exists(debt) OR debt <= :zero)");
        assertThat(BalanceWrites.RETURN_FROM_HOLD).isEqualTo("ADD balance :amount, held :unheld");
        assertThat(BalanceWrites.TAKE_BEYOND_HOLD).isEqualTo("SET balance = balance - :amount ADD held :unheld");
        assertThat(AccountDebts.TAKE_BEYOND_HOLD_WITH_SHORTFALL)
                .isEqualTo("SET balance = balance - :taken ADD debt :shortfall, held :unheld");
        assertThat(AccountDebts.DEBIT_WITH_SHORTFALL_IF).isEqualTo("attribute_exists(accountId) AND balance = :taken");
    }

    @Test
    void aReversalMarksOnlyARequestsOwnEntry() {
        assertThat(LedgerItems.MARK_REVERSED).isEqualTo("SET reversed = :true");
        assertThat(LedgerItems.MARK_REVERSED_IF).isEqualTo("attribute_exists(entryId) AND attribute_exists(model)");
    }

    @Test
    void keyDebitOnlyWhenTheKeyIsUsableAndItsBudgetCoversIt() {
        assertThat(BalanceWrites.DEBIT_KEY).isEqualTo("ADD spent :amount, remaining :negative");
        assertThat(BalanceWrites.DEBIT_KEY_IF).isEqualTo("attribute_exists(keyHash) AND attribute_not_exists(revokedAt)"
                + " AND (attribute_not_exists(disabled) OR disabled = :false)"
                + " AND (attribute_not_exists(expiresAtMs) OR expiresAtMs > :now)"
                + " AND (attribute_not_exists(budget) OR remaining >= :amount)");
        assertThat(BalanceWrites.DEBIT_KEY_BEYOND_HOLD_IF).isEqualTo("attribute_exists(keyHash)");
    }

    @Test
    void progressIsRecordedOnlyOnAnOpenHold() {
        assertThat(HoldSettlements.RECORD_IF).isEqualTo("#state = :open AND attribute_not_exists(progressDue)");
        assertThat(HoldSettlements.RECORD_DUE_IF).isEqualTo("#state = :open");
        assertThat(HoldSettlements.RECORD_DUE).startsWith(HoldSettlements.RECORD_PROGRESS)
                .endsWith(", expiresAt = :due, progressDue = :true");
    }

    @Test
    void keyCreditOnlyOnAnExistingKey() {
        assertThat(BalanceWrites.CREDIT_KEY).isEqualTo("ADD remaining :amount, spent :negative");
        assertThat(BalanceWrites.CREDIT_KEY_IF).isEqualTo("attribute_exists(keyHash)");
    }

    @Test
    void holdsOpenOnceAndCloseOnce() {
        assertThat(BalanceWrites.OPEN_HOLD_IF).isEqualTo("attribute_not_exists(holdId)");
        assertThat(BalanceWrites.CLOSE_HOLD).isEqualTo("SET #state = :closed, closedAt = :at REMOVE openShard");
        assertThat(BalanceWrites.CLOSE_HOLD_IF).isEqualTo("#state = :open");
    }

    @Test
    void usageCountersAreAdditive() {
        assertThat(BalanceWrites.COUNT_USAGE).isEqualTo(
                "ADD requests :one, promptTokens :p, completionTokens :c, costMicros :cost SET #day = :day, model = :model");
    }

    @Test
    void ledgerEntriesAreWrittenOncePerIdempotencyKey() {
        assertThat(LedgerItems.APPEND_CONDITION).isEqualTo("attribute_not_exists(entryId)");
    }

    @Test
    void creatingAKeyOrAnAccountNeverOverwrites() {
        assertThat(DynamoKeyStore.CREATE_CONDITION).isEqualTo("attribute_not_exists(keyHash)");
        assertThat(DynamoAccountStore.CREATE_CONDITION).isEqualTo("attribute_not_exists(accountId)");
    }

    @Test
    void keySettingsChangeOnlyOnLiveKeysAndBudgetsOnlyAgainstTheSpentThatWasRead() {
        assertThat(KeyUpdates.UPDATE_IF).isEqualTo("attribute_exists(keyHash) AND attribute_not_exists(revokedAt)");
        assertThat(KeyUpdates.UPDATE_BUDGET_IF)
                .isEqualTo("attribute_exists(keyHash) AND attribute_not_exists(revokedAt) AND #spent = :seenSpent");
        assertThat(KeyUpdates.REVOKE).isEqualTo("SET revokedAt = :at");
        assertThat(KeyUpdates.REVOKE_IF).isEqualTo("attribute_exists(keyHash) AND attribute_not_exists(revokedAt)");
    }
}
