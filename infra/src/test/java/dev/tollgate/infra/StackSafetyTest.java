package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What keeps a stage's money safe: tables that survive a stack deletion or replacement unless a throwaway stage
 * says otherwise, concurrency set aside so chat cannot starve the other functions, and an alarm on usage that
 * a hold did not cover.
 */
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class StackSafetyTest {

    private static final List<String> MONEY_TABLES = List.of("accounts", "keys", "ledger", "holds", "topups");

    private static String name(String what) {
        return "tollgate-" + Synth.STAGE + "-" + what;
    }

    @Test
    void tablesAreProtectedAndRetainedByDefault() {
        Template template = Synth.fullStack();
        // usage, the stored Responses conversations and alerts (with auto top-up settings and saved-card ids) are
        // customers' data, kept like the money tables.
        for (String table : concat(concat(concat(MONEY_TABLES, "usage"), "responses"), "alerts")) {
            template.hasResource("AWS::DynamoDB::Table", Map.of(
                    "Properties", Match.objectLike(Map.of("TableName", name(table), "DeletionProtectionEnabled", true)),
                    "DeletionPolicy", "Retain",
                    "UpdateReplacePolicy", "Retain"));
        }
        template.resourceCountIs("AWS::DynamoDB::Table", MONEY_TABLES.size() + 3);
        assertThat(template.findResources("AWS::SecretsManager::Secret").values())
                .allSatisfy(secret -> assertThat(secret).containsEntry("DeletionPolicy", "Retain"));
    }

    @Test
    void aThrowawayStageSwitchesProtectionAndRetentionOff() {
        Template template = Synth.throwawayStack();
        for (String table : concat(MONEY_TABLES, "usage")) {
            template.hasResource("AWS::DynamoDB::Table", Map.of(
                    "Properties", Match.objectLike(Map.of("TableName", name(table), "DeletionProtectionEnabled", false)),
                    "DeletionPolicy", "Delete",
                    "UpdateReplacePolicy", "Delete"));
        }
        assertThat(template.findResources("AWS::SecretsManager::Secret").values())
                .allSatisfy(secret -> assertThat(secret).containsEntry("DeletionPolicy", "Delete"));
    }

    @Test
    void deletionProtectionIsOnForEveryStageUnlessSwitchedOffInSoManyWords() {
        for (String stage : List.of("dev", "prod", "staging")) {
            App app = new App(AppProps.builder().context(Map.of("stage", stage)).build());
            assertThat(StackSettings.fromContext(app.getNode()).deletionProtection()).as(stage).isTrue();
        }
        App off = new App(AppProps.builder().context(Map.of("deletionProtection", "false")).build());
        assertThat(StackSettings.fromContext(off.getNode()).deletionProtection()).isFalse();
        assertThatThrownBy(() -> StackSettings.fromContext(new App(AppProps.builder()
                .context(Map.of("deletionProtection", "flase")).build()).getNode()))
                .hasMessageContaining("deletionProtection").hasMessageContaining("flase");
    }

    @Test
    void apiWebhookAndReconcilerHaveConcurrencySetAsideAndChatIsNotCappedByDefault() {
        TemplateJson json = new TemplateJson(Synth.fullStack());
        assertThat(json.function(name("api")).get("ReservedConcurrentExecutions"))
                .isEqualTo(StackSettings.Concurrency.DEFAULT_API).isEqualTo(100);
        assertThat(json.function(name("stripe-webhook")).get("ReservedConcurrentExecutions"))
                .isEqualTo(StackSettings.Concurrency.DEFAULT_STRIPE_WEBHOOK).isEqualTo(10);
        assertThat(json.function(name("reconciler")).get("ReservedConcurrentExecutions"))
                .isEqualTo(StackSettings.Concurrency.DEFAULT_RECONCILER).isEqualTo(2);
        assertThat(json.function(name("chat"))).doesNotContainKey("ReservedConcurrentExecutions");
    }

    @Test
    void reservedConcurrencyIsConfigurableAndZeroReservesNothing() {
        TemplateJson json = new TemplateJson(Synth.throwawayStack());
        for (String function : List.of("api", "stripe-webhook", "reconciler")) {
            assertThat(json.function(name(function))).as(function).doesNotContainKey("ReservedConcurrentExecutions");
        }
        assertThat(json.function(name("chat")).get("ReservedConcurrentExecutions")).as("a cap on chat").isEqualTo(250);
        assertThatThrownBy(() -> StackSettings.fromContext(new App(AppProps.builder()
                .context(Map.of("apiReservedConcurrency", "-1")).build()).getNode()))
                .hasMessageContaining("0 (none) or more");
        assertThatThrownBy(() -> StackSettings.fromContext(new App(AppProps.builder()
                .context(Map.of("chatReservedConcurrency", "lots")).build()).getNode()))
                .hasMessageContaining("chatReservedConcurrency");
    }

    @Test
    @SuppressWarnings("unchecked")
    void alarmsOnUsageShortfallAboveZeroInFiveMinutesAcrossEveryFunction() {
        Template template = Synth.fullStack();
        TemplateJson json = new TemplateJson(template);
        Map<String, Object> alarm = json.ofType("AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> name("UsageShortfall").equals(a.get("AlarmName"))).findFirst().orElseThrow();

        assertThat(alarm).containsEntry("ComparisonOperator", "GreaterThanThreshold").containsEntry("Threshold", 0)
                .containsEntry("EvaluationPeriods", 1).containsEntry("TreatMissingData", "notBreaching");
        assertThat(TemplateJson.json(alarm.get("AlarmActions"))).contains(json.ofType("AWS::SNS::Topic").keySet().iterator().next());
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) alarm.get("Metrics");
        List<Map<String, Object>> stats = metrics.stream().filter(m -> m.containsKey("MetricStat"))
                .map(m -> (Map<String, Object>) m.get("MetricStat")).toList();
        assertThat(stats).hasSize(4).allSatisfy(stat -> {
            assertThat(stat).containsEntry("Period", 300).containsEntry("Stat", "Sum");
            Map<String, Object> metric = (Map<String, Object>) stat.get("Metric");
            assertThat(metric).containsEntry("Namespace", "Tollgate").containsEntry("MetricName", "UsageShortfallMicros");
        });
        String dimensions = TemplateJson.json(stats.stream().map(s -> ((Map<String, Object>) s.get("Metric")).get("Dimensions")).toList());
        for (String function : List.of("api", "chat", "stripe-webhook", "reconciler")) {
            assertThat(dimensions).as(function).contains(json.idOf("AWS::Lambda::Function", "FunctionName", name(function)));
        }
        assertThat(metrics).filteredOn(m -> m.containsKey("Expression")).singleElement()
                .satisfies(m -> assertThat((String) m.get("Expression")).contains("FILL(").contains(" + "));
    }

    private static List<String> concat(List<String> list, String more) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(more)).toList();
    }
}
