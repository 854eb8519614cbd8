package dev.tollgate.infra;

import dev.tollgate.store.dynamo.DynamoTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.LocalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * Tollgate's DynamoDB tables: on-demand, point-in-time recovery, TTL where items expire. By default every table
 * has deletion protection and is retained when the stack is deleted or the table replaced (DeletionPolicy and
 * UpdateReplacePolicy Retain): accounts, keys, ledger, holds and top-ups are money, and usage is the
 * customers' record of it. Context {@code deletionProtection=false} switches both off, for throwaway stages. Names come from the application's {@link DynamoTables}
 * with the stage's prefix; keys and indexes mirror {@link DynamoTables#createMissing}, which creates the
 * same tables in DynamoDB Local, and {@code TablesMatchTheApplicationTest} compares the two.
 */
public final class Tables extends Construct {

    /**
     * Holds carry an epoch-seconds {@code ttl} (HoldItems), so closed holds disappear after their retention; so do
     * the other items kept in this table (stream leases, spend windows, Idempotency-Key records after 24 h).
     */
    static final String HOLDS_TTL_ATTRIBUTE = "ttl";
    /** Stored Responses API conversations expire (tollgate.responses.ttl, 30 days by default). */
    static final String RESPONSES_TTL_ATTRIBUTE = "ttl";
    /** Alerts, deliveries and once-per-crossing marks expire after 90 days (AlertItems). */
    static final String ALERTS_TTL_ATTRIBUTE = "ttl";

    private final String prefix;
    private final DynamoTables names;
    private final Map<String, Table> byName = new LinkedHashMap<>();

    public Tables(Construct scope, String id, StackSettings settings) {
        super(scope, id);
        this.prefix = settings.tablePrefix();
        this.names = DynamoTables.withPrefix(prefix);
        for (Spec spec : specs(names)) {
            byName.put(spec.name(), table(spec, settings.deletionProtection()));
        }
        Set<String> declared = new TreeSet<>(byName.keySet());
        if (!declared.equals(new TreeSet<>(names.all()))) {
            throw new IllegalStateException("The CDK tables " + declared + " differ from the application's "
                    + new TreeSet<>(names.all()) + ": add the new table to Tables.specs (and to template.yaml).");
        }
    }

    public DynamoTables names() {
        return names;
    }

    /** The table named {@code name} (one of {@link DynamoTables#all()}). */
    public Table table(String name) {
        Table table = byName.get(name);
        if (table == null) {
            throw new IllegalArgumentException("no table " + name);
        }
        return table;
    }

    public List<Table> all() {
        return List.copyOf(byName.values());
    }

    /** Key schema, attribute types and indexes of each table, as DynamoTables.createMissing declares them. */
    static List<Spec> specs(DynamoTables t) {
        return List.of(
                new Spec(t.accounts(), s("accountId"), null, List.of(), List.of(), null),
                new Spec(t.keys(), s("keyHash"), null,
                        List.of(new Index(DynamoTables.KEYS_BY_ACCOUNT, s("accountId"), s("keyId"), ProjectionType.ALL)),
                        List.of(), null),
                new Spec(t.ledger(), s("accountId"), s("entryId"),
                        List.of(new Index(DynamoTables.LEDGER_BY_KEY, s("keyId"), s("at"), ProjectionType.ALL)),
                        List.of(new Index(DynamoTables.LEDGER_BY_TIME, s("accountId"), s("at"), ProjectionType.ALL)), null),
                new Spec(t.holds(), s("holdId"), null,
                        List.of(new Index(DynamoTables.HOLDS_OPEN_BY_EXPIRY, s("openShard"), n("expiresAt"), ProjectionType.ALL)),
                        List.of(), HOLDS_TTL_ATTRIBUTE),
                new Spec(t.usage(), s("accountId"), s("dayModel"), List.of(), List.of(), null),
                new Spec(t.topups(), s("topupId"), null, List.of(
                        new Index(DynamoTables.TOPUPS_BY_ACCOUNT, s("accountId"), s("createdAt"), ProjectionType.ALL),
                        new Index(DynamoTables.TOPUPS_BY_PAYMENT_INTENT, s("paymentIntentId"), null, ProjectionType.KEYS_ONLY)),
                        List.of(), null),
                new Spec(t.responses(), s("responseId"), null, List.of(), List.of(), RESPONSES_TTL_ATTRIBUTE),
                new Spec(t.alerts(), s("accountId"), s("itemId"),
                        List.of(new Index(DynamoTables.ALERTS_DUE_BY_TIME, s("dueShard"), n("dueAt"), ProjectionType.ALL)),
                        List.of(), ALERTS_TTL_ATTRIBUTE));
    }

    private Table table(Spec spec, boolean protect) {
        Table.Builder builder = Table.Builder.create(this, logicalId(spec.name().substring(prefix.length())))
                .tableName(spec.name())
                .partitionKey(spec.partition())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(protect)
                // Without protection (throwaway stages) `cdk destroy` removes the data too; with it, the tables outlive the stack.
                .removalPolicy(protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
        if (spec.sort() != null) {
            builder.sortKey(spec.sort());
        }
        if (spec.ttlAttribute() != null) {
            builder.timeToLiveAttribute(spec.ttlAttribute());
        }
        Table table = builder.build();
        for (Index index : spec.globalIndexes()) {
            GlobalSecondaryIndexProps.Builder gsi = GlobalSecondaryIndexProps.builder().indexName(index.name())
                    .partitionKey(index.partition()).projectionType(index.projection());
            if (index.sort() != null) {
                gsi.sortKey(index.sort());
            }
            table.addGlobalSecondaryIndex(gsi.build());
        }
        for (Index index : spec.localIndexes()) {
            table.addLocalSecondaryIndex(LocalSecondaryIndexProps.builder().indexName(index.name())
                    .sortKey(index.sort()).projectionType(index.projection()).build());
        }
        return table;
    }

    /** {@code accounts} → {@code Accounts}: stable construct ids whatever the stage prefix. */
    private static String logicalId(String shortName) {
        return Character.toUpperCase(shortName.charAt(0)) + shortName.substring(1);
    }

    private static Attribute s(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    private static Attribute n(String name) {
        return Attribute.builder().name(name).type(AttributeType.NUMBER).build();
    }

    /** One table: keys, indexes and the TTL attribute (null when items do not expire). */
    record Spec(String name, Attribute partition, Attribute sort, List<Index> globalIndexes, List<Index> localIndexes,
                String ttlAttribute) {
    }

    /** A secondary index; an LSI shares the table's partition key and only {@code sort} is used. */
    record Index(String name, Attribute partition, Attribute sort, ProjectionType projection) {
    }
}
