package dev.tollgate.store.dynamo;

import dev.tollgate.money.Money;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowStore;
import dev.tollgate.windows.WindowUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Reads spend windows (the items {@link CounterItems} describes) and keeps each account's plan in its
 * {@code plan} attribute. Reads are consistent, so the numbers a response shows include its own hold or charge.
 */
public final class DynamoWindowStore implements WindowStore {

    static final String ASSIGN_IF = "attribute_exists(accountId)";

    private final DynamoDbClient dynamo;
    private final DynamoTables tables;

    public DynamoWindowStore(DynamoDbClient dynamo, DynamoTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public List<WindowUsage> read(List<SpendWindow> windows, Instant now) {
        if (windows.isEmpty()) {
            return List.of();
        }
        Set<String> pointers = new LinkedHashSet<>();
        windows.stream().filter(w -> w.window() == Window.SESSION).forEach(w -> pointers.add(CounterItems.sessionId(w)));
        Map<String, Map<String, AttributeValue>> sessionItems = get(pointers);
        List<Instant> starts = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (SpendWindow window : windows) {
            Instant start = start(window, sessionItems.get(CounterItems.sessionId(window)), now);
            starts.add(start);
            ids.add(CounterItems.windowId(window, start));
        }
        Map<String, Map<String, AttributeValue>> items = get(ids);
        List<WindowUsage> usage = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            SpendWindow window = windows.get(i);
            Map<String, AttributeValue> item = items.get(CounterItems.windowId(window, starts.get(i)));
            Money used = item == null || !item.containsKey("used") ? Money.ZERO : Money.ofMicros(Attr.num(item, "used"));
            usage.add(new WindowUsage(window, used, window.window().end(starts.get(i))));
        }
        return usage;
    }

    /** A calendar period's start; the open session's, or (none open) the one a request now would open. */
    private static Instant start(SpendWindow window, Map<String, AttributeValue> pointer, Instant now) {
        if (window.window() != Window.SESSION) {
            return window.window().periodStart(now);
        }
        if (pointer != null && pointer.containsKey("sessionStart")) {
            Instant start = Instant.ofEpochMilli(Attr.num(pointer, "sessionStart"));
            if (Window.SESSION.end(start).isAfter(now)) {
                return start;
            }
        }
        return now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private Map<String, Map<String, AttributeValue>> get(Set<String> ids) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        List<Map<String, AttributeValue>> keys = ids.stream().map(id -> Map.of("holdId", Attr.s(id))).toList();
        Map<String, KeysAndAttributes> request = Map.of(tables.holds(),
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        // At most a handful of keys: unprocessed ones (throttling) are asked for again until none are left.
        for (int attempt = 0; !request.isEmpty() && attempt < 10; attempt++) {
            var response = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
            response.responses().getOrDefault(tables.holds(), List.of())
                    .forEach(item -> found.put(Attr.str(item, "holdId"), item));
            request = response.unprocessedKeys();
        }
        return found;
    }

    @Override
    public Optional<String> planOf(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.accounts())
                .key(Map.of("accountId", Attr.s(accountId))).projectionExpression("#plan")
                .expressionAttributeNames(Map.of("#plan", "plan"))).item();
        return item == null || !item.containsKey("plan") ? Optional.empty() : Optional.of(Attr.str(item, "plan"));
    }

    @Override
    public boolean assignPlan(String accountId, String plan) {
        try {
            dynamo.updateItem(b -> {
                b.tableName(tables.accounts()).key(Map.of("accountId", Attr.s(accountId)))
                        .conditionExpression(ASSIGN_IF).expressionAttributeNames(Map.of("#plan", "plan"));
                if (plan == null) {
                    b.updateExpression("REMOVE #plan");
                } else {
                    b.updateExpression("SET #plan = :plan").expressionAttributeValues(Map.of(":plan", Attr.s(plan)));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
