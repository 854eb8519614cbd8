package dev.tollgate.functions.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records every DynamoDB call the application makes, with the tables and items it touches and the capacity
 * DynamoDB Local reports for it, by wrapping the application's {@link DynamoDbClient} as it is created. On only
 * where {@code tollgate.test.dynamo-meter} is true; production wiring is untouched.
 *
 * <p>Each request asks for {@code ReturnConsumedCapacity=INDEXES}. DynamoDB Local 2.6.1 answers it, and its
 * figures follow the documented rules for single-item calls; for transactions they do not (it reports 4 units
 * for a one-item transaction of a 100-byte item, where the rule is 2), so callers count transactional items
 * instead of trusting those units.
 */
@Singleton
@Requires(property = DynamoMeter.PROPERTY, value = "true")
public final class DynamoMeter implements BeanCreatedEventListener<DynamoDbClient> {

    public static final String PROPERTY = "tollgate.test.dynamo-meter";

    /** One API call: its operation, the items it wrote or read per table, and DynamoDB Local's capacity figures. */
    public record Call(String operation, boolean write, boolean transactional, Map<String, Integer> items, String key,
                       double tableUnits, Map<String, Double> indexUnits, boolean failed) {
    }

    private final List<Call> calls = new ArrayList<>();
    /** Calls started and not yet recorded: a write DynamoDB already shows may still be on its way into the list. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public DynamoDbClient onCreated(BeanCreatedEvent<DynamoDbClient> event) {
        DynamoDbClient real = event.getBean();
        InvocationHandler handler = (proxy, method, args) -> {
            boolean builds = args != null && args.length == 1 && args[0] instanceof Consumer<?>;
            if (method.isDefault() && (builds || method.getName().endsWith("Paginator"))) {
                // getItem(b -> ...) and paginators: the interface builds the request, or the pages' requests, and
                // calls this proxy with it, where it is recorded (on the real client it would bypass the proxy).
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return invoke(real, method, args);
        };
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, handler);
    }

    /** The calls since the last {@link #reset()}, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized void reset() {
        calls.clear();
    }

    /** No call is under way: every write that DynamoDB shows is in {@link #calls()}. */
    public boolean idle() {
        return inFlight.get() == 0;
    }

    private Object invoke(DynamoDbClient real, Method method, Object[] args) throws Throwable {
        if (args == null || args.length != 1 || !(args[0] instanceof DynamoDbRequest request)) {
            return call(real, method, args);
        }
        DynamoDbRequest asked = withConsumedCapacity(request);
        inFlight.incrementAndGet();
        try {
            Object response;
            try {
                response = call(real, method, new Object[] {asked});
            } catch (Throwable failure) {
                record(method.getName(), asked, null, true);
                throw failure;
            }
            record(method.getName(), asked, response, false);
            return response;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static Object call(DynamoDbClient real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The same request asking for capacity by table and index, where the operation takes the parameter. */
    private static DynamoDbRequest withConsumedCapacity(DynamoDbRequest request) {
        try {
            // Through the public builder interface that toBuilder() declares: its implementation class is not public.
            Method toBuilder = request.getClass().getMethod("toBuilder");
            Class<?> builderType = toBuilder.getReturnType();
            Object builder = toBuilder.invoke(request);
            builderType.getMethod("returnConsumedCapacity", ReturnConsumedCapacity.class)
                    .invoke(builder, ReturnConsumedCapacity.INDEXES);
            return (DynamoDbRequest) builderType.getMethod("build").invoke(builder);
        } catch (NoSuchMethodException e) {
            return request; // table management and the like: no capacity to report
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void record(String method, DynamoDbRequest request, Object response, boolean failed) {
        String operation = Character.toUpperCase(method.charAt(0)) + method.substring(1);
        Map<String, Integer> items = new TreeMap<>();
        boolean transactional = request instanceof TransactWriteItemsRequest || request instanceof TransactGetItemsRequest;
        boolean write = operation.startsWith("Put") || operation.startsWith("Update") || operation.startsWith("Delete")
                || request instanceof TransactWriteItemsRequest || request instanceof BatchWriteItemRequest;
        switch (request) {
            case TransactWriteItemsRequest tx -> tx.transactItems().forEach(i -> items.merge(table(i), 1, Integer::sum));
            case TransactGetItemsRequest tx -> tx.transactItems().forEach(i -> items.merge(i.get().tableName(), 1, Integer::sum));
            case BatchWriteItemRequest batch -> batch.requestItems().forEach((t, w) -> items.put(t, w.size()));
            case BatchGetItemRequest batch -> batch.requestItems().forEach((t, k) -> items.put(t, k.keys().size()));
            default -> tableName(request).ifPresent(t -> items.put(t, 1));
        }
        double tableUnits = 0;
        Map<String, Double> indexUnits = new TreeMap<>();
        for (ConsumedCapacity capacity : consumed(response)) {
            tableUnits += capacity.table() == null ? nz(capacity.capacityUnits()) : nz(capacity.table().capacityUnits());
            capacity.globalSecondaryIndexes().forEach((i, c) -> indexUnits.merge(i, nz(c.capacityUnits()), Double::sum));
            capacity.localSecondaryIndexes().forEach((i, c) -> indexUnits.merge(i, nz(c.capacityUnits()), Double::sum));
        }
        calls.add(new Call(operation, write, transactional, items, key(request), tableUnits, indexUnits, failed));
    }

    private static String table(TransactWriteItem item) {
        if (item.put() != null) {
            return item.put().tableName();
        }
        if (item.update() != null) {
            return item.update().tableName();
        }
        if (item.delete() != null) {
            return item.delete().tableName();
        }
        return item.conditionCheck().tableName();
    }

    /** The string parts of a single-item request's key, joined with "/" (null for calls without one). */
    private static String key(DynamoDbRequest request) {
        return request.getValueForField("Key", Map.class).map(key -> ((Map<?, ?>) key).values().stream()
                .map(v -> ((AttributeValue) v).s()).filter(java.util.Objects::nonNull).sorted()
                .collect(java.util.stream.Collectors.joining("/"))).orElse(null);
    }

    private static java.util.Optional<String> tableName(DynamoDbRequest request) {
        return request.getValueForField("TableName", String.class);
    }

    private static List<ConsumedCapacity> consumed(Object response) {
        if (response == null) {
            return List.of();
        }
        try {
            Object value = response.getClass().getMethod("consumedCapacity").invoke(response);
            if (value instanceof ConsumedCapacity one) {
                return List.of(one);
            }
            if (value instanceof List<?> many) {
                return many.stream().map(ConsumedCapacity.class::cast).toList();
            }
            return List.of();
        } catch (NoSuchMethodException e) {
            return List.of();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double nz(Double value) {
        return value == null ? 0 : value;
    }
}
