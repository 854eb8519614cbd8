package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code template.yaml} (SAM) declares what the CDK stack declares: the same functions with the same
 * handlers, runtime, memory, timeouts and SnapStart; the same environment variable names; the same routes
 * (chat streamed); the same tables and secrets; the same per-function table and secret access; the same
 * table retention and reserved concurrency by default; and the CDK stack's twin of each alarm it declares.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class SamTemplateConsistencyTest {

    static final Path SAM_TEMPLATE = Path.of("..", "template.yaml");
    private static final String UPSTREAM_URL = "TOLLGATE_UPSTREAMS_*_BASE_URL";

    private TemplateJson cdk;
    private Map<String, Map<String, Object>> sam;
    private Map<String, Object> globals;
    private Map<String, Map<String, Object>> parameters;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void load() throws IOException {
        cdk = new TemplateJson(Synth.fullStack());
        try (Reader reader = Files.newBufferedReader(SAM_TEMPLATE)) {
            Map<String, Object> root = new Yaml(new CloudFormationConstructor()).load(reader);
            sam = (Map<String, Map<String, Object>>) (Object) root.get("Resources");
            globals = (Map<String, Object>) ((Map<String, Object>) root.get("Globals")).get("Function");
            parameters = (Map<String, Map<String, Object>>) (Object) root.get("Parameters");
        }
    }

    @Test
    void declaresTheSameFunctionsWithTheSameHandlersAndSizes() {
        Map<String, Map<String, Object>> functions = samFunctions();
        assertThat(functions.keySet()).containsExactlyInAnyOrder("api", "chat", "stripe-webhook", "reconciler");
        functions.forEach((name, props) -> {
            Map<String, Object> cdkFunction = cdk.function("tollgate-test-" + name);
            assertThat(props.get("Handler")).as(name).isEqualTo(cdkFunction.get("Handler"));
            assertThat(props.get("MemorySize")).as(name).isEqualTo(cdkFunction.get("MemorySize"));
            assertThat(props.get("Timeout")).as(name).isEqualTo(cdkFunction.get("Timeout"));
            assertThat(props.get("SnapStart")).as(name).isEqualTo(cdkFunction.get("SnapStart"));
        });
        assertThat(globals.get("Runtime")).isEqualTo("java21");
        assertThat(globals.get("Architectures")).isEqualTo(List.of("arm64"));
        assertThat(globals.get("CodeUri")).isEqualTo("functions/target/tollgate-lambda.zip");
        assertThat(TemplateJson.json(functions.get("chat").get("Layers"))).contains(":753240598075:layer:LambdaAdapterLayerArm64:");
    }

    @Test
    void setsTheSameEnvironmentVariableNames() {
        samFunctions().forEach((name, props) -> assertThat(normalized(samEnvironment(props).keySet())).as(name)
                .isEqualTo(normalized(cdk.environment("tollgate-test-" + name).keySet())));
        assertThat(samEnvironment(samFunctions().get("chat"))).containsEntry("AWS_LAMBDA_EXEC_WRAPPER", "/opt/bootstrap")
                .containsEntry("AWS_LWA_INVOKE_MODE", "response_stream")
                .containsEntry("AWS_LWA_READINESS_CHECK_PATH", LambdaFunctions.CHAT_READINESS_PATH);
    }

    /** Both templates give every Java function the JVM settings derived from the repository's jvm.options. */
    @Test
    void setsTheJvmOptionsDerivedFromTheSharedFile() throws IOException {
        String expected = JvmOptions.forLambda(Files.readString(Path.of("..", "jvm.options")));
        assertThat(JvmOptions.forLambda()).as("the jvm.options this build packed is the repository's").isEqualTo(expected);
        samFunctions().forEach((name, props) -> {
            if (name.equals("chat")) {
                // run.sh starts that JVM itself, with the file packed beside it (LambdaBundleTest)
                assertThat(samEnvironment(props)).as("template.yaml, chat").doesNotContainKey("JAVA_TOOL_OPTIONS");
                assertThat(cdk.environment("tollgate-test-chat")).as("CDK, chat").doesNotContainKey("JAVA_TOOL_OPTIONS");
            } else {
                assertThat(samEnvironment(props)).as("template.yaml, " + name).containsEntry("JAVA_TOOL_OPTIONS", expected);
                assertThat(cdk.environment("tollgate-test-" + name)).as("CDK, " + name).containsEntry("JAVA_TOOL_OPTIONS", expected);
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void servesTheSameRoutesWithChatStreamed() {
        Set<String> routes = new TreeSet<>();
        samFunctions().forEach((name, props) -> ((Map<String, Map<String, Object>>) props.getOrDefault("Events", Map.of()))
                .values().stream().filter(event -> "Api".equals(event.get("Type")))
                .map(event -> (Map<String, Object>) event.get("Properties"))
                .forEach(p -> routes.add(p.get("Method") + " " + p.get("Path") + " -> " + name)));
        Map<String, Object> definition = (Map<String, Object>) resource("TollgateApi").get("DefinitionBody");
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) definition.get("paths");
        paths.forEach((path, methods) -> methods.forEach((method, operation) -> {
            Map<String, Object> integration = (Map<String, Object>) operation.get("x-amazon-apigateway-integration");
            assertThat(integration.get("responseTransferMode")).isEqualTo("STREAM");
            assertThat(TemplateJson.json(integration.get("uri"))).contains("response-streaming-invocations")
                    .contains("ChatFunction.Arn");
            routes.add(method.toUpperCase() + " " + path + " -> chat");
        }));

        Set<String> expected = ApiRoutes.ALL.stream().map(r -> r.method() + " " + r.path() + " -> " + switch (r.target()) {
            case API -> "api";
            case CHAT -> "chat";
            case STRIPE_WEBHOOK -> "stripe-webhook";
        }).collect(Collectors.toCollection(TreeSet::new));
        assertThat(routes).isEqualTo(expected);
    }

    @Test
    @SuppressWarnings("unchecked")
    void declaresTheSameTablesAndSecrets() {
        Map<String, Map<String, Object>> samTables = byName("AWS::DynamoDB::Table", "TableName", "tollgate-${Stage}-");
        Map<String, Map<String, Object>> cdkTables = new HashMap<>();
        cdk.ofType("AWS::DynamoDB::Table").values().forEach(t ->
                cdkTables.put(((String) t.get("TableName")).substring("tollgate-test-".length()), t));
        assertThat(samTables.keySet()).isEqualTo(cdkTables.keySet());
        samTables.forEach((name, props) -> {
            Map<String, Object> twin = cdkTables.get(name);
            for (String property : List.of("KeySchema", "BillingMode", "PointInTimeRecoverySpecification",
                    "TimeToLiveSpecification", "LocalSecondaryIndexes", "GlobalSecondaryIndexes")) {
                assertThat(props.get(property)).as(name + " " + property).isEqualTo(twin.get(property));
            }
            assertThat(Set.copyOf((List<Object>) props.get("AttributeDefinitions"))).as(name)
                    .isEqualTo(Set.copyOf((List<Object>) twin.get("AttributeDefinitions")));
        });
        assertThat(byName("AWS::SecretsManager::Secret", "Name", "tollgate/${Stage}/").keySet())
                .isEqualTo(cdk.ofType("AWS::SecretsManager::Secret").values().stream()
                        .map(s -> ((String) s.get("Name")).substring("tollgate/test/".length())).collect(Collectors.toSet()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void grantsEachFunctionTheSameTablesAndSecrets() {
        Map<String, String> tableIds = logicalIdsByName("AWS::DynamoDB::Table", "TableName", "tollgate-${Stage}-");
        Map<String, String> secretIds = logicalIdsByName("AWS::SecretsManager::Secret", "Name", "tollgate/${Stage}/");
        Map<String, String> cdkTables = new HashMap<>();
        cdk.ofType("AWS::DynamoDB::Table").forEach((id, t) -> cdkTables.put(id, ((String) t.get("TableName")).substring(14)));
        Map<String, String> cdkSecrets = new HashMap<>();
        cdk.ofType("AWS::SecretsManager::Secret").forEach((id, s) -> cdkSecrets.put(id, ((String) s.get("Name")).substring(14)));
        samFunctions().forEach((name, props) -> {
            Set<String> tables = new TreeSet<>();
            Set<String> secrets = new TreeSet<>();
            for (Map<String, Map<String, Object>> policy : (List<Map<String, Map<String, Object>>>) props.get("Policies")) {
                if (policy.containsKey("Fn::If")) {
                    continue; // the optional Bedrock statement, checked in chatMayInvokeOnlyTheBedrockModelsItIsGiven
                }
                policy.forEach((template, args) -> {
                    String ref = (String) ((Map<String, Object>) args.values().iterator().next()).get("Ref");
                    if (template.equals("DynamoDBCrudPolicy")) {
                        tables.add(key(tableIds, ref));
                    } else if (template.equals("AWSSecretsManagerGetSecretValuePolicy")) {
                        secrets.add(key(secretIds, ref));
                    }
                });
            }
            String fn = "tollgate-test-" + name;
            assertThat(tables).as(name + " tables").isEqualTo(new TreeSet<>(cdk.referenced(fn, "dynamodb", cdkTables.keySet())
                    .stream().map(cdkTables::get).toList()));
            assertThat(secrets).as(name + " secrets").isEqualTo(new TreeSet<>(cdk.referenced(fn, "secretsmanager",
                    cdkSecrets.keySet()).stream().map(cdkSecrets::get).toList()));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void chatMayInvokeOnlyTheBedrockModelsItIsGiven() {
        assertThat(parameters.get("BedrockModelArns")).containsEntry("Type", "CommaDelimitedList").containsEntry("Default", "");
        List<Object> conditional = samFunctions().entrySet().stream()
                .flatMap(f -> ((List<Map<String, Object>>) f.getValue().get("Policies")).stream()
                        .filter(p -> p.containsKey("Fn::If")).map(p -> f.getKey() + " " + p.get("Fn::If")))
                .map(Object.class::cast).toList();
        assertThat(conditional).hasSize(1);
        assertThat(conditional.getFirst().toString()).startsWith("chat [HasBedrockModels")
                .contains("bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream").contains("Resource={Ref=BedrockModelArns}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void retainsEveryTableAndProtectsItByDefaultAsTheCdkStackDoes() {
        Map<String, Map<String, Object>> cdkTables = Synth.fullStack().findResources("AWS::DynamoDB::Table");
        assertThat(cdkTables.values()).allSatisfy(t -> assertThat(t).containsEntry("DeletionPolicy", "Retain")
                .containsEntry("UpdateReplacePolicy", "Retain"));
        assertThat(parameters.get("DeletionProtection").get("Default")).isEqualTo("true");
        sam.forEach((id, resource) -> {
            if ("AWS::DynamoDB::Table".equals(resource.get("Type"))) {
                assertThat(resource).as(id).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
                assertThat(((Map<String, Object>) resource.get("Properties")).get("DeletionProtectionEnabled")).as(id)
                        .isEqualTo(Map.of("Fn::If", List.of("ProtectTables", true, false)));
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void reservesTheSameConcurrencyByDefault() {
        samFunctions().forEach((name, props) -> {
            List<Object> choice = (List<Object>) ((Map<String, Object>) props.get("ReservedConcurrentExecutions")).get("Fn::If");
            assertThat(choice.get(2)).as(name).isEqualTo(Map.of("Ref", "AWS::NoValue"));
            String parameter = (String) ((Map<String, Object>) choice.get(1)).get("Ref");
            Object samDefault = parameters.get(parameter).get("Default");
            Object cdkValue = cdk.function("tollgate-test-" + name).get("ReservedConcurrentExecutions");
            assertThat(samDefault).as(name + " (" + parameter + ")").isEqualTo(cdkValue == null ? 0 : cdkValue);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachAlarmHasItsTwinInTheCdkStack() {
        Map<String, Map<String, Object>> cdkAlarms = new HashMap<>();
        cdk.ofType("AWS::CloudWatch::Alarm").values().forEach(a ->
                cdkAlarms.put(((String) a.get("AlarmName")).substring("tollgate-test-".length()), a));
        Map<String, Map<String, Object>> samAlarms = byName("AWS::CloudWatch::Alarm", "AlarmName", "tollgate-${Stage}-");
        assertThat(samAlarms).containsKey("UsageShortfall");
        samAlarms.forEach((name, alarm) -> {
            Map<String, Object> twin = cdkAlarms.get(name);
            assertThat(twin).as(name).isNotNull();
            for (String property : List.of("ComparisonOperator", "Threshold", "EvaluationPeriods", "TreatMissingData")) {
                assertThat(alarm.get(property)).as(name + " " + property).isEqualTo(twin.get(property));
            }
            assertThat(metricNames(alarm)).as(name).isEqualTo(metricNames(twin));
            assertThat(TemplateJson.json(alarm.get("AlarmActions"))).contains("AlarmTopic");
        });
    }

    /** Namespace/name/period/statistic of each metric an alarm's expression uses, with how many functions it covers. */
    @SuppressWarnings("unchecked")
    private static List<String> metricNames(Map<String, Object> alarm) {
        return ((List<Map<String, Object>>) alarm.get("Metrics")).stream().filter(m -> m.containsKey("MetricStat"))
                .map(m -> (Map<String, Object>) m.get("MetricStat"))
                .map(stat -> {
                    Map<String, Object> metric = (Map<String, Object>) stat.get("Metric");
                    return metric.get("Namespace") + "/" + metric.get("MetricName") + " " + stat.get("Period") + " " + stat.get("Stat");
                }).sorted().toList();
    }

    // ------------------------------------------------------------------ reading the SAM template

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> samFunctions() {
        Map<String, Map<String, Object>> functions = new LinkedHashMap<>();
        sam.forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
                Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
                String name = (String) ((Map<String, Object>) props.get("FunctionName")).get("Fn::Sub");
                functions.put(name.substring("tollgate-${Stage}-".length()), props);
            }
        });
        return functions;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> samEnvironment(Map<String, Object> function) {
        Map<String, Object> env = new LinkedHashMap<>(
                (Map<String, Object>) ((Map<String, Object>) globals.get("Environment")).get("Variables"));
        Map<String, Object> own = (Map<String, Object>) function.get("Environment");
        if (own != null) {
            env.putAll((Map<String, Object>) own.get("Variables"));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resource(String id) {
        return (Map<String, Object>) sam.get(id).get("Properties");
    }

    /** Short name (after the prefix of a {@code !Sub} name) to properties. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> byName(String type, String property, String prefix) {
        Map<String, Map<String, Object>> found = new HashMap<>();
        sam.forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
                String name = (String) ((Map<String, Object>) props.get(property)).get("Fn::Sub");
                found.put(name.substring(prefix.length()), props);
            }
        });
        return found;
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> logicalIdsByName(String type, String property, String prefix) {
        Map<String, String> ids = new HashMap<>();
        sam.forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
                ids.put(id, ((String) ((Map<String, Object>) props.get(property)).get("Fn::Sub")).substring(prefix.length()));
            }
        });
        return ids;
    }

    private static String key(Map<String, String> ids, String ref) {
        String name = ids.get(ref);
        assertThat(name).as("policy names resource " + ref).isNotNull();
        return name;
    }

    /** Upstream base URL variables depend on the configured upstreams: compared as one pattern. */
    private static Set<String> normalized(Set<String> names) {
        Set<String> result = new HashSet<>();
        for (String name : names) {
            result.add(name.matches("TOLLGATE_UPSTREAMS_[A-Z0-9]+_BASE_URL") ? UPSTREAM_URL : name);
        }
        return result;
    }

    /** Reads CloudFormation's short-form tags ({@code !Ref x} becomes {@code {"Ref": "x"}}, {@code !Sub} {@code Fn::Sub}...). */
    static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value = switch (node) {
                        case ScalarNode scalar -> constructScalar(scalar);
                        case SequenceNode sequence -> constructSequence(sequence);
                        case MappingNode mapping -> constructMapping(mapping);
                        default -> throw new IllegalStateException("unexpected node " + node);
                    };
                    if (tag.equals("GetAtt") && value instanceof String text) {
                        value = List.of(text.split("\\.", 2));
                    }
                    return Map.of(key, value);
                }
            });
        }
    }
}
