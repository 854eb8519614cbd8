package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.store.dynamo.DynamoTables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * The CDK tables are the application's tables: the same names ({@code DynamoTables.withPrefix(..).all()})
 * with the same keys, attribute types and indexes as the CreateTable requests
 * {@code DynamoTables.createMissing} sends to DynamoDB Local. A table added to the application without
 * its CDK twin fails here (and fails the synth).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class TablesMatchTheApplicationTest {

    private TemplateJson stack;
    private List<CreateTableRequest> application;

    @BeforeAll
    void synthesize() {
        stack = new TemplateJson(Synth.fullStack());
        RecordingDynamoDb recorder = new RecordingDynamoDb();
        DynamoTables.withPrefix("tollgate-" + Synth.STAGE + "-").createMissing(recorder);
        application = recorder.created();
    }

    @Test
    void declaresExactlyTheApplicationsTables() {
        Set<Object> names = stack.ofType("AWS::DynamoDB::Table").values().stream().map(t -> t.get("TableName"))
                .collect(Collectors.toSet());
        assertThat(names).isEqualTo(Set.copyOf(DynamoTables.withPrefix("tollgate-" + Synth.STAGE + "-").all()));
        assertThat(application).extracting(CreateTableRequest::tableName).containsExactlyInAnyOrderElementsOf(
                DynamoTables.withPrefix("tollgate-" + Synth.STAGE + "-").all());
    }

    @Test
    void keysAttributesAndIndexesMatchWhatTheApplicationCreates() {
        for (CreateTableRequest expected : application) {
            Map<String, Object> table = stack.ofType("AWS::DynamoDB::Table")
                    .get(stack.idOf("AWS::DynamoDB::Table", "TableName", expected.tableName()));
            assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
            assertThat(table.get("KeySchema")).as(expected.tableName()).isEqualTo(keys(expected.keySchema()));
            assertThat(Set.copyOf((List<?>) table.get("AttributeDefinitions"))).as(expected.tableName())
                    .isEqualTo(expected.attributeDefinitions().stream().map(TablesMatchTheApplicationTest::attribute)
                            .collect(Collectors.toSet()));
            assertThat(indexes(table.get("GlobalSecondaryIndexes"))).as(expected.tableName() + " GSIs").isEqualTo(
                    expected.globalSecondaryIndexes().stream().map(i -> index(i.indexName(), i.keySchema(),
                            i.projection().projectionTypeAsString())).collect(Collectors.toSet()));
            assertThat(indexes(table.get("LocalSecondaryIndexes"))).as(expected.tableName() + " LSIs").isEqualTo(
                    expected.localSecondaryIndexes().stream().map(i -> index(i.indexName(), i.keySchema(),
                            i.projection().projectionTypeAsString())).collect(Collectors.toSet()));
        }
    }

    @Test
    void everyTableHasPointInTimeRecoveryAndHoldsExpireByTtl() {
        stack.ofType("AWS::DynamoDB::Table").values().forEach(table -> assertThat(table.get("PointInTimeRecoverySpecification"))
                .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true)));
        Map<String, Object> holds = stack.ofType("AWS::DynamoDB::Table")
                .get(stack.idOf("AWS::DynamoDB::Table", "TableName", "tollgate-test-holds"));
        assertThat(holds.get("TimeToLiveSpecification")).isEqualTo(Map.of("AttributeName", "ttl", "Enabled", true));
    }

    @Test
    void deletionProtectionIsOnForEveryStageUnlessSwitchedOff() {
        assertThat(stack.ofType("AWS::DynamoDB::Table").values())
                .allSatisfy(t -> assertThat(t.get("DeletionProtectionEnabled")).isEqualTo(true));

        Template dev = tablesOnly(Map.of("stage", "dev"));
        dev.allResourcesProperties("AWS::DynamoDB::Table", Map.of("DeletionProtectionEnabled", true));
        dev.allResources("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
        Template throwaway = tablesOnly(Map.of("stage", "prod", "deletionProtection", "false"));
        throwaway.allResourcesProperties("AWS::DynamoDB::Table", Map.of("DeletionProtectionEnabled", false));
        throwaway.allResources("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Delete"));
    }

    private static Template tablesOnly(Map<String, Object> context) {
        App app = new App(AppProps.builder().context(context).build());
        Stack stack = new Stack(app, "TablesOnly");
        new Tables(stack, "Tables", StackSettings.fromContext(app.getNode()));
        return Template.fromStack(stack);
    }

    private static List<Map<String, String>> keys(List<KeySchemaElement> schema) {
        return schema.stream().map(k -> Map.of("AttributeName", k.attributeName(), "KeyType", k.keyTypeAsString())).toList();
    }

    private static Map<String, String> attribute(AttributeDefinition a) {
        return Map.of("AttributeName", a.attributeName(), "AttributeType", a.attributeTypeAsString());
    }

    private static Map<String, Object> index(String name, List<KeySchemaElement> schema, String projection) {
        Map<String, Object> index = new HashMap<>();
        index.put("IndexName", name);
        index.put("KeySchema", keys(schema));
        index.put("Projection", projection);
        return index;
    }

    @SuppressWarnings("unchecked")
    private static Set<Map<String, Object>> indexes(Object declared) {
        if (declared == null) {
            return Set.of();
        }
        return ((List<Map<String, Object>>) declared).stream().map(i -> index((String) i.get("IndexName"),
                        ((List<Map<String, String>>) i.get("KeySchema")).stream().map(k -> KeySchemaElement.builder()
                                .attributeName(k.get("AttributeName")).keyType(k.get("KeyType")).build()).toList(),
                        (String) ((Map<String, Object>) i.get("Projection")).get("ProjectionType")))
                .collect(Collectors.toSet());
    }
}
