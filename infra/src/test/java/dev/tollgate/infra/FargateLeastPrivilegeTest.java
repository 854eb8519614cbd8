package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the Fargate task may do (exactly what the Lambda functions it stands in for may), what stays on Lambda in
 * both container shapes (every function, the API, the reconciler's schedule), and that the default stays Lambda only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class FargateLeastPrivilegeTest {

    private static final Set<String> CONTAINER_TYPES = Set.of("AWS::ECS::Cluster", "AWS::ECS::Service", "AWS::ECS::TaskDefinition",
            "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::EC2::VPC", "AWS::ApplicationAutoScaling::ScalableTarget");

    private TemplateJson chat;
    private TemplateJson all;

    @BeforeAll
    void synthesize() {
        chat = new TemplateJson(FargateSynth.chatShape());
        all = new TemplateJson(FargateSynth.allShape());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> roleStatements(TemplateJson stack, String roleProperty) {
        Map<String, Object> task = stack.ofType("AWS::ECS::TaskDefinition").values().iterator().next();
        String roleId = ((List<String>) ((Map<String, Object>) task.get(roleProperty)).get("Fn::GetAtt")).getFirst();
        return stack.roleStatements(roleId);
    }

    /** Short names (accounts, upstream-api-keys...) of the tables or secrets the task role's statements of {@code service} name. */
    private static Set<String> names(TemplateJson stack, String type, String property, String prefix, String service) {
        Map<String, String> byId = new HashMap<>();
        stack.ofType(type).forEach((id, props) -> byId.put(id, ((String) props.get(property)).substring(prefix.length())));
        Set<String> names = new TreeSet<>();
        TemplateJson.referenced(roleStatements(stack, "TaskRoleArn"), service, byId.keySet()).forEach(id -> names.add(byId.get(id)));
        return names;
    }

    private static Set<String> tables(TemplateJson stack) {
        return names(stack, "AWS::DynamoDB::Table", "TableName", "tollgate-test-", "dynamodb");
    }

    private static Set<String> secrets(TemplateJson stack) {
        return names(stack, "AWS::SecretsManager::Secret", "Name", "tollgate/test/", "secretsmanager");
    }

    @Test
    void fargateChatTasksMayDoExactlyWhatTheChatFunctionMay() {
        assertThat(tables(chat)).containsExactlyInAnyOrder("accounts", "keys", "ledger", "holds", "usage", "responses",
                "alerts");
        assertThat(secrets(chat)).containsExactly("upstream-api-keys");
        List<String> taskBedrock = bedrock(roleStatements(chat, "TaskRoleArn"));
        assertThat(taskBedrock).hasSize(1).isEqualTo(bedrock(chat.statements("tollgate-test-chat")));
        assertThat(taskBedrock.getFirst()).contains(":bedrock:eu-west-1::foundation-model/").doesNotContain("\"*\"");
    }

    @Test
    void fargateAllTasksMayDoWhatApiChatAndTheWebhookMayButNoMore() {
        assertThat(tables(all)).containsExactlyInAnyOrder("accounts", "keys", "ledger", "holds", "usage", "responses", "topups",
                "alerts");
        assertThat(secrets(all)).containsExactlyInAnyOrder("admin-token", "stripe-api-key", "stripe-webhook-secret",
                "upstream-api-keys", "console-session-secret");
        assertThat(bedrock(roleStatements(all, "TaskRoleArn"))).as("no Bedrock upstream in this stack").isEmpty();
    }

    @Test
    void noTaskStatementGrantsDataSecretsOrModelsOnEveryResourceAndTheExecutionRoleGetsNone() {
        for (TemplateJson stack : List.of(chat, all)) {
            assertThat(stack.ofType("AWS::IAM::ManagedPolicy")).as("no overflow policy: every grant is in the role's own policy")
                    .isEmpty();
            roleStatements(stack, "TaskRoleArn").forEach(statement ->
                    assertThat(TemplateJson.json(statement.get("Resource"))).isNotEqualTo("\"*\""));
            assertThat(roleStatements(stack, "ExecutionRoleArn")).allSatisfy(statement ->
                    assertThat(TemplateJson.actions(statement)).noneMatch(a -> a.startsWith("dynamodb:")
                            || a.startsWith("secretsmanager:") || a.startsWith("bedrock:")));
        }
    }

    @Test
    void onlySecretsTheTaskMayReadHaveTheirArnInItsEnvironment() {
        assertThat(secretArnVariables(chat)).containsExactly("TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS");
        assertThat(secretArnVariables(all)).containsExactlyInAnyOrder("TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS",
                "TOLLGATE_SECRET_ARN_ADMIN_TOKEN", "TOLLGATE_SECRET_ARN_STRIPE_API_KEY",
                "TOLLGATE_SECRET_ARN_CONSOLE_SESSION_SECRET", "TOLLGATE_SECRET_ARN_STRIPE_WEBHOOK_SECRET");
    }

    @Test
    void theReconcilerStaysALambdaOnItsScheduleAndTheLambdaStackStaysBesideTheService() {
        for (TemplateJson stack : List.of(chat, all)) {
            assertThat(stack.ofType("AWS::Events::Rule").values()).singleElement().satisfies(rule -> {
                assertThat(rule).containsEntry("ScheduleExpression", "rate(1 minute)");
                assertThat(TemplateJson.json(rule.get("Targets"))).contains("Reconciler").doesNotContain("EcsParameters");
            });
            assertThat(stack.ofType("AWS::Lambda::Function").values().stream().map(f -> f.get("FunctionName")))
                    .contains("tollgate-test-api", "tollgate-test-chat", "tollgate-test-stripe-webhook", "tollgate-test-reconciler");
            assertThat(stack.ofType("AWS::ApiGateway::Method")).hasSize(ApiRoutes.ALL.size());
        }
    }

    @Test
    void theDefaultStackIsLambdaOnly() {
        Template template = Synth.fullStack();
        for (String type : CONTAINER_TYPES) {
            template.resourceCountIs(type, 0);
        }
        assertThat(template.findOutputs("ContainerUrl")).isEmpty();
        assertThat(ComputeSettings.fromContext(new App().getNode()).compute()).isEqualTo(ComputeSettings.Compute.LAMBDA);
        FargateSynth.chatShape().hasOutput("ContainerUrl", Match.anyValue());
    }

    @Test
    void contextMistakesFailTheSynthWithTheSettingsName() {
        assertThatThrownBy(() -> settings(Map.of("compute", "ecs"))).hasMessageContaining("fargate-chat");
        assertThatThrownBy(() -> settings(Map.of("fargateCpu", "1000"))).hasMessageContaining("fargateCpu");
        assertThatThrownBy(() -> settings(Map.of("fargateMinTasks", "4", "fargateMaxTasks", "3"))).hasMessageContaining("fargateMaxTasks");
        assertThatThrownBy(() -> settings(Map.of("fargateConnectionsPerTask", "many"))).hasMessageContaining("fargateConnectionsPerTask");
        assertThat(settings(Map.of("compute", "FARGATE-ALL")).everything()).isTrue();
        assertThatThrownBy(() -> Synth.stack(Map.of("compute", "fargate-chat",
                "catalogOverlay", "src/test/resources/catalog/groq-overlay.json")))
                .hasMessageContaining("fargateCatalogFile");
    }

    private static ComputeSettings settings(Map<String, Object> context) {
        return ComputeSettings.fromContext(new App(AppProps.builder().context(context).build()).getNode());
    }

    @SuppressWarnings("unchecked")
    private static List<String> secretArnVariables(TemplateJson stack) {
        Map<String, Object> task = stack.ofType("AWS::ECS::TaskDefinition").values().iterator().next();
        Map<String, Object> container = ((List<Map<String, Object>>) task.get("ContainerDefinitions")).getFirst();
        return ((List<Map<String, Object>>) container.get("Environment")).stream().map(v -> (String) v.get("Name"))
                .filter(name -> name.startsWith("TOLLGATE_SECRET_ARN_")).toList();
    }

    private static List<String> bedrock(List<Map<String, Object>> statements) {
        return statements.stream().filter(s -> TemplateJson.actions(s).stream().anyMatch(a -> a.startsWith("bedrock:")))
                .map(TemplateJson::json).toList();
    }
}
