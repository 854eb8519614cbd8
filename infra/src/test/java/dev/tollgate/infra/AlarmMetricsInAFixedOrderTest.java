package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Regression: the metrics of the API 5xx-rate and DynamoDB-throttle alarms came from {@code Map.of}, whose order
 * changes from one JVM to the next, so two synths of the same code differed and every deploy updated those alarms.
 * Their metrics are now listed by id.
 */
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class AlarmMetricsInAFixedOrderTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyMathAlarmListsItsMetricsById() {
        Map<String, Map<String, Object>> alarms = new TemplateJson(Synth.fullStack()).ofType("AWS::CloudWatch::Alarm");
        List<Map<String, Object>> withMath = alarms.values().stream().filter(a -> a.containsKey("Metrics")).toList();
        assertThat(withMath).hasSizeGreaterThan(7);
        for (Map<String, Object> alarm : withMath) {
            List<String> ids = ((List<Map<String, Object>>) alarm.get("Metrics")).stream()
                    .filter(m -> m.containsKey("MetricStat")).map(m -> (String) m.get("Id")).toList();
            assertThat(ids).as((String) alarm.get("AlarmName")).isSorted();
        }
    }
}
