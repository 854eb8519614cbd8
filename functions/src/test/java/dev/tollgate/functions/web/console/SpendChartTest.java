package dev.tollgate.functions.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.UsageRow;
import dev.tollgate.money.Money;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overview's chart: a bar per day, stacked by model, scaled to the busiest day; free usage draws nothing. */
class SpendChartTest {

    static final LocalDate FROM = LocalDate.parse("2026-11-07");
    static final LocalDate TO = LocalDate.parse("2026-12-06");

    @Test
    void stacksEachDaysModelsAndScalesToTheBusiestDay() {
        SpendChart chart = SpendChart.of(List.of(
                row("2026-12-06", "gemma3:1b", "0.30"), row("2026-12-06", "qwen3:latest", "0.10"),
                row("2026-12-05", "gemma3:1b", "0.20"), row("2026-12-05", "qwen/qwen3-coder:free", "0.00")), FROM, TO);

        assertThat(chart.segments()).hasSize(3);
        SpendChart.Segment busiestBottom = chart.segments().stream().filter(s -> s.title().startsWith("2026-12-06 · gemma3"))
                .findFirst().orElseThrow();
        SpendChart.Segment busiestTop = chart.segments().stream().filter(s -> s.title().startsWith("2026-12-06 · qwen3"))
                .findFirst().orElseThrow();
        assertThat(busiestBottom.h() + busiestTop.h()).isEqualTo(SpendChart.HEIGHT);
        assertThat(busiestTop.y()).isZero();
        assertThat(busiestBottom.h()).isEqualTo(120.0);
        assertThat(busiestBottom.x()).isGreaterThan(SpendChart.WIDTH - SpendChart.WIDTH / 30.0);
        assertThat(chart.legend()).extracting(SpendChart.Legend::model).containsExactly("gemma3:1b", "qwen3:latest");
        assertThat(chart.legend().getFirst().total()).isEqualTo("$0.50");
        assertThat(chart.max()).isEqualTo("$0.40");
    }

    @Test
    void noPaidUsageIsAnEmptyChart() {
        assertThat(SpendChart.of(List.of(row("2026-12-06", "qwen/qwen3-coder:free", "0")), FROM, TO).empty()).isTrue();
    }

    private static UsageRow row(String day, String model, String cost) {
        return new UsageRow(day, model, 1, 10, 10, Money.parseDollars(cost));
    }
}
