package dev.tollgate.store.dynamo;

import dev.tollgate.accounts.Account;
import dev.tollgate.accounts.AccountStore;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Accounts in DynamoDB. */
public final class DynamoAccountStore implements AccountStore {

    static final String CREATE_CONDITION = "attribute_not_exists(accountId)";

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoAccountStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public void createWithKey(Account account, LedgerEntry openingCredit, ApiKey firstKey) {
        if (!openingCredit.amount().equals(account.balance())) {
            throw new IllegalArgumentException("the opening balance must equal the opening ledger entry");
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("accountId", Attr.s(account.accountId()));
        item.put("name", Attr.s(account.name()));
        item.put("balance", Attr.money(account.balance()));
        item.put("createdAt", Attr.s(account.createdAt().toString()));
        dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(tables.accounts()).item(item)
                        .conditionExpression(CREATE_CONDITION).build()).build(),
                LedgerItems.append(tables, openingCredit),
                TransactWriteItem.builder().put(Put.builder().tableName(tables.keys()).item(KeyItems.toItem(firstKey))
                        .conditionExpression(DynamoKeyStore.CREATE_CONDITION).build()).build()));
    }

    @Override
    public Optional<Account> find(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Account(accountId, Attr.str(item, "name"),
                Money.ofMicros(Attr.num(item, "balance")), Attr.instant(item, "createdAt")));
    }
}
