package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Each function's role names only the tables and secrets that function uses, read off the synthesized IAM
 * policies: the webhook function cannot read provider keys or the admin token, the chat function cannot
 * touch Stripe's secrets or the top-up orders, and no statement grants DynamoDB or Secrets Manager on "*".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class LeastPrivilegeTest {

    private TemplateJson stack;
    private Map<String, String> tables;
    private Map<String, String> secrets;

    @BeforeAll
    void synthesize() {
        stack = new TemplateJson(Synth.fullStack());
        tables = byProperty("AWS::DynamoDB::Table", "TableName", "tollgate-test-");
        secrets = byProperty("AWS::SecretsManager::Secret", "Name", "tollgate/test/");
    }

    /** Short name (accounts, stripe-api-key...) to logical id. */
    private Map<String, String> byProperty(String type, String property, String prefix) {
        Map<String, String> ids = new HashMap<>();
        stack.ofType(type).forEach((id, props) -> ids.put(((String) props.get(property)).substring(prefix.length()), id));
        return ids;
    }

    private Set<String> tablesOf(String function) {
        return names(stack.referenced("tollgate-test-" + function, "dynamodb", Set.copyOf(tables.values())), tables);
    }

    private Set<String> secretsOf(String function) {
        return names(stack.referenced("tollgate-test-" + function, "secretsmanager", Set.copyOf(secrets.values())), secrets);
    }

    private static Set<String> names(Set<String> ids, Map<String, String> byName) {
        Set<String> names = new TreeSet<>();
        byName.forEach((name, id) -> {
            if (ids.contains(id)) {
                names.add(name);
            }
        });
        return names;
    }

    @Test
    void theWebhookFunctionReadsOnlyItsSigningSecretAndTheOrderLedgerAndBalanceTables() {
        assertThat(secretsOf("stripe-webhook")).containsExactly("stripe-webhook-secret");
        assertThat(tablesOf("stripe-webhook")).containsExactlyInAnyOrder("topups", "ledger", "accounts", "alerts");
    }

    @Test
    void theChatFunctionCannotTouchStripeSecretsOrTopUps() {
        assertThat(secretsOf("chat")).containsExactly("upstream-api-keys");
        assertThat(tablesOf("chat")).containsExactlyInAnyOrder("accounts", "keys", "ledger", "holds", "usage", "responses",
                "alerts");
    }

    @Test
    void theApiFunctionHasEverythingButTheWebhookSecret() {
        assertThat(secretsOf("api")).containsExactlyInAnyOrder("admin-token", "stripe-api-key", "upstream-api-keys",
                "console-session-secret");
        assertThat(tablesOf("api")).containsExactlyInAnyOrderElementsOf(tables.keySet());
    }

    @Test
    void theReconcilerReadsOnlyTheStripeKeyForAutoTopUpsAndTheTablesItsRunsWrite() {
        assertThat(secretsOf("reconciler")).containsExactly("stripe-api-key");
        assertThat(tablesOf("reconciler")).containsExactlyInAnyOrder("holds", "accounts", "keys", "ledger", "topups", "alerts");
    }

    @Test
    void noStatementGrantsDataOrSecretsOnEveryResource() {
        for (String function : new String[] {"api", "chat", "stripe-webhook", "reconciler"}) {
            stack.statements("tollgate-test-" + function).forEach(statement -> {
                boolean data = TemplateJson.actions(statement).stream()
                        .anyMatch(a -> a.startsWith("dynamodb:") || a.startsWith("secretsmanager:"));
                if (data) {
                    assertThat(TemplateJson.json(statement.get("Resource"))).as(function).isNotEqualTo("\"*\"");
                }
            });
        }
    }

    @Test
    void onlyTheFunctionsThatReadASecretGetItsArn() {
        assertThat(stack.environment("tollgate-test-chat").keySet()).filteredOn(k -> k.startsWith("TOLLGATE_SECRET_ARN_"))
                .containsExactly("TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS");
        assertThat(stack.environment("tollgate-test-reconciler").keySet()).filteredOn(k -> k.startsWith("TOLLGATE_SECRET_ARN_"))
                .containsExactly("TOLLGATE_SECRET_ARN_STRIPE_API_KEY");
    }
}
