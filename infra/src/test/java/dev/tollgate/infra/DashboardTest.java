package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.assertions.Template;

/**
 * The operator's dashboard in the synthesized stack (the stack shared with {@link TollgateStackTest}, synthesized once):
 * one dashboard whose widgets read every metric of docs/METRICS.md from namespace Tollgate, and Lambda's and API
 * Gateway's own metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class DashboardTest {

    /** The application's metrics a widget must show (docs/METRICS.md), as they appear in the dashboard body. */
    static final List<String> APPLICATION_METRICS = List.of("tollgate.requests", "tollgate.tokens",
            "tollgate.charged.microusd", "tollgate.upstream.first_byte", "tollgate.upstream.duration",
            "tollgate.upstream.errors", "tollgate.upstream.retries", "tollgate.holds.open", "tollgate.holds.oldest.age",
            "tollgate.shortfall.microusd", "tollgate.debt.microusd", "tollgate.reconciler.runs",
            "tollgate.reconciler.released", "tollgate.cache.requests");

    private String body;
    private Template template;
    private TemplateJson json;

    @BeforeAll
    void synthesize() {
        template = Synth.fullStack();
        json = new TemplateJson(template);
        Map<String, Map<String, Object>> dashboards = json.ofType("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        Map<String, Object> properties = dashboards.values().iterator().next();
        assertThat(properties.get("DashboardName")).isEqualTo("tollgate-" + Synth.STAGE + "-operations");
        body = bodyText(properties.get("DashboardBody"));
    }

    /**
     * The body is a JSON document joined ({@code Fn::Join}) with the functions' and the API's names, which are
     * CloudFormation references: its text, with each reference written {@code <Ref:logicalId>} and JSON's escaped
     * quotes read as quotes.
     */
    @SuppressWarnings("unchecked")
    private static String bodyText(Object dashboardBody) {
        if (dashboardBody instanceof String text) {
            return text.replace("\\\"", "\"");
        }
        List<Object> join = (List<Object>) ((Map<String, Object>) dashboardBody).get("Fn::Join");
        StringBuilder text = new StringBuilder();
        for (Object part : (List<Object>) join.get(1)) {
            text.append(part instanceof Map<?, ?> ref && ref.containsKey("Ref") ? "<Ref:" + ref.get("Ref") + ">" : part);
        }
        return text.toString().replace("\\\"", "\"");
    }

    @Test
    void showsEveryApplicationMetricFromTheTollgateNamespace() {
        for (String metric : APPLICATION_METRICS) {
            assertThat(body).as(metric).contains(metric);
        }
        assertThat(body).contains("SCHEMA(\"Tollgate\"")
                .contains("GROUP BY status").contains("GROUP BY direction").contains("GROUP BY model");
    }

    @Test
    void showsUpstreamLatencyPercentilesAndCacheHitRates() {
        assertThat(body).contains("'p50'").contains("'p99'").contains("{Tollgate,upstream}")
                .contains("{Tollgate,upstream,outcome}");
        assertThat(body).contains("100 * keyhit / (keyhit + keymiss)").contains("100 * accounthit / (accounthit + accountmiss)").contains("key cache hit %").contains("account cache hit %");
    }

    @Test
    void showsTheLambdaFunctionsAndTheApi() {
        assertThat(body).contains("AWS/Lambda").contains("Invocations").contains("Errors").contains("Throttles")
                .contains("Duration").contains("AWS/ApiGateway").contains("5XXError").contains("4XXError").contains("Latency");
        for (String function : List.of("api", "chat", "stripe-webhook", "reconciler")) {
            String logicalId = json.idOf("AWS::Lambda::Function", "FunctionName", "tollgate-" + Synth.STAGE + "-" + function);
            assertThat(body).as(function).contains("<Ref:" + logicalId + ">");
        }
        assertThat(template.findOutputs("DashboardName")).isNotEmpty();
    }
}
