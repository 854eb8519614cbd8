package dev.tollgate.functions.support;

import dev.tollgate.store.dynamo.DynamoTables;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item sizes as DynamoDB counts them for capacity: attribute names plus values (UTF-8 strings, binary bytes,
 * 1 byte for booleans and nulls, 3 bytes plus 1 per element for maps and lists). Numbers are counted at their
 * 21-byte maximum, so a size here is never below DynamoDB's.
 */
public final class DynamoItemSize {

    private DynamoItemSize() {
    }

    /** The largest item stored in any of the tables, in bytes. */
    public static int largest(DynamoDbClient dynamo, DynamoTables tables) {
        int largest = 0;
        for (String table : tables.all()) {
            for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table)).items()) {
                largest = Math.max(largest, size(item));
            }
        }
        return largest;
    }

    public static int size(Map<String, AttributeValue> attributes) {
        int bytes = 0;
        for (Map.Entry<String, AttributeValue> a : attributes.entrySet()) {
            bytes += a.getKey().getBytes(StandardCharsets.UTF_8).length + size(a.getValue());
        }
        return bytes;
    }

    private static int size(AttributeValue value) {
        return switch (value.type()) {
            case S -> value.s().getBytes(StandardCharsets.UTF_8).length;
            case N -> 21;
            case B -> value.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case M -> 3 + value.m().size() + size(value.m());
            case L -> 3 + value.l().size() + value.l().stream().mapToInt(DynamoItemSize::size).sum();
            case SS -> value.ss().stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
            case NS -> 21 * value.ns().size();
            case BS -> value.bs().stream().mapToInt(b -> b.asByteArray().length).sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type");
        };
    }
}
