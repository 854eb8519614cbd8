package dev.tollgate.store.dynamo;

import dev.tollgate.keys.Change;
import dev.tollgate.keys.KeyUpdate;
import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowLimit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Builds the conditional UpdateItem that changes a key's settings. The conditions are constants so a
 * test can pin them: a budget change computes {@code remaining} from the {@code spent} it read, so it
 * must only commit if {@code spent} is still that value; otherwise a hold that landed in between would
 * be lost from {@code remaining} and the key could overspend its budget.
 */
final class KeyUpdates {

    static final String UPDATE_IF = "attribute_exists(keyHash) AND attribute_not_exists(revokedAt)";
    static final String UPDATE_BUDGET_IF = UPDATE_IF + " AND #spent = :seenSpent";
    static final String REVOKE = "SET revokedAt = :at";
    static final String REVOKE_IF = "attribute_exists(keyHash) AND attribute_not_exists(revokedAt)";

    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    private KeyUpdates() {
    }

    /**
     * The request for {@code update}, given the {@code spent} read just before. Empty updates are the
     * caller's to avoid: DynamoDB refuses an empty update expression.
     */
    static UpdateItemRequest request(String table, String keyHash, KeyUpdate update, Money seenSpent) {
        KeyUpdates u = new KeyUpdates();
        u.change("name", update.name(), Attr::s);
        u.change("models", update.allowedModels(), KeyUpdates::models);
        u.change("expiresAt", update.expiresAt(), (Instant at) -> Attr.s(at.toString()));
        // The number the hold's key condition compares (an ISO string does not sort as time for every year).
        u.change("expiresAtMs", update.expiresAt(), (Instant at) -> Attr.n(at.toEpochMilli()));
        u.change("rpm", update.rpmLimit(), (Integer rpm) -> Attr.n(rpm));
        u.change("disabled", update.disabled(), Attr::bool);
        u.change("limits", update.limits(), (List<WindowLimit> limits) -> limits.isEmpty() ? null : KeyItems.limits(limits));
        u.change("tpm", update.tpmLimit(), (Integer tpm) -> Attr.n(tpm));
        boolean budgetChanges = update.budget().present();
        if (budgetChanges) {
            Money budget = update.budget().value();
            u.change("budget", update.budget(), Attr::money);
            u.change("remaining", Change.to(budget == null ? null : budget.minus(seenSpent)), Attr::money);
            u.names.put("#spent", "spent");
            u.values.put(":seenSpent", Attr.money(seenSpent));
        }
        return UpdateItemRequest.builder().tableName(table)
                .key(Map.of("keyHash", Attr.s(keyHash)))
                .updateExpression(u.expression())
                .conditionExpression(budgetChanges ? UPDATE_BUDGET_IF : UPDATE_IF)
                .expressionAttributeNames(u.names)
                .expressionAttributeValues(u.values.isEmpty() ? null : u.values)
                .returnValues(ReturnValue.ALL_NEW)
                .build();
    }

    /** A null value, an empty model list and a cleared field all mean "no attribute". */
    private <T> void change(String attribute, Change<T> change, java.util.function.Function<T, AttributeValue> encode) {
        if (!change.present()) {
            return;
        }
        String name = "#" + attribute;
        names.put(name, attribute);
        AttributeValue value = change.value() == null ? null : encode.apply(change.value());
        if (value == null) {
            removes.add(name);
        } else {
            sets.add(name + " = :" + attribute);
            values.put(":" + attribute, value);
        }
    }

    private static AttributeValue models(Set<String> models) {
        // DynamoDB has no empty string set: "every model" is stored as no attribute.
        return models.isEmpty() ? null : AttributeValue.fromSs(models.stream().sorted().toList());
    }

    private String expression() {
        StringBuilder expression = new StringBuilder();
        if (!sets.isEmpty()) {
            expression.append("SET ").append(String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            expression.append(expression.isEmpty() ? "" : " ").append("REMOVE ").append(String.join(", ", removes));
        }
        return expression.toString();
    }
}
