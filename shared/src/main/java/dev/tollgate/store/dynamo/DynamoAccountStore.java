package dev.tollgate.store.dynamo;

import dev.tollgate.accounts.Account;
import dev.tollgate.accounts.AccountStore;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.money.Money;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Accounts in DynamoDB. Besides name and balance, an account's item keeps how it was opened: the
 * operator's reference ({@code openReference}), the opening credit and the hash of its first key, which
 * is how a repeated opening answers with the original account.
 */
public final class DynamoAccountStore implements AccountStore {

    static final String CREATE_CONDITION = "attribute_not_exists(accountId)";

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoAccountStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public boolean createWithKey(Account account, LedgerEntry openingCredit, ApiKey firstKey) {
        if (!openingCredit.amount().equals(account.balance())) {
            throw new IllegalArgumentException("the opening balance must equal the opening ledger entry");
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("accountId", Attr.s(account.accountId()));
        item.put("name", Attr.s(account.name()));
        item.put("balance", Attr.money(account.balance()));
        item.put("createdAt", Attr.s(account.createdAt().toString()));
        item.put("openingCredit", Attr.money(openingCredit.amount()));
        item.put("firstKeyHash", Attr.s(firstKey.secretHash()));
        if (openingCredit.reference() != null) {
            item.put("openReference", Attr.s(openingCredit.reference()));
        }
        // Transactions.write retries conflicts: concurrent openings with one reference all write the same item.
        List<CancellationReason> reasons = Transactions.write(dynamo, List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(tables.accounts()).item(item)
                        .conditionExpression(CREATE_CONDITION).build()).build(),
                LedgerItems.append(tables, openingCredit),
                TransactWriteItem.builder().put(Put.builder().tableName(tables.keys()).item(KeyItems.toItem(firstKey))
                        .conditionExpression(DynamoKeyStore.CREATE_CONDITION).build()).build()));
        if (reasons == null) {
            return true;
        }
        if (Transactions.failed(reasons, 0)) {
            return false;
        }
        throw new IllegalStateException("opening account " + account.accountId() + " was refused: " + reasons);
    }

    @Override
    public Optional<Account> find(String accountId) {
        return item(accountId).map(item -> account(accountId, item));
    }

    @Override
    public Optional<Opening> opening(String accountId) {
        return item(accountId).map(item -> {
            String keyHash = Attr.str(item, "firstKeyHash");
            ApiKey firstKey = keyHash == null ? null : firstKey(keyHash);
            return new Opening(account(accountId, item), Attr.str(item, "openReference"),
                    Money.ofMicros(Attr.num(item, "openingCredit")), firstKey);
        });
    }

    private ApiKey firstKey(String keyHash) {
        Map<String, AttributeValue> key = dynamo.getItem(b -> b.tableName(tables.keys())
                .key(Map.of("keyHash", Attr.s(keyHash))).consistentRead(true)).item();
        return key == null || key.isEmpty() ? null : KeyItems.fromItem(key);
    }

    private Optional<Map<String, AttributeValue>> item(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static Account account(String accountId, Map<String, AttributeValue> item) {
        return new Account(accountId, Attr.str(item, "name"), Money.ofMicros(Attr.num(item, "balance")),
                Attr.instant(item, "createdAt"));
    }
}
