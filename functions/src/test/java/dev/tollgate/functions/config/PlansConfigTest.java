package dev.tollgate.functions.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.money.Money;
import dev.tollgate.windows.Plans;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowLimit;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans as the operator writes them, read from Micronaut's property tree; a mistake fails start-up naming it. */
class PlansConfigTest {

    @Test
    void plansAndTheDefaultAreReadWithTheirWindows() {
        Plans plans = read(Map.of(
                "tollgate.plans.pro.windows.session.limit-usd", "10.00",
                "tollgate.plans.pro.windows.weekly.limit-usd", "50",
                "tollgate.plans.team.windows.monthly.limit-usd", "400.5",
                "tollgate.default-plan", "team"));
        assertThat(plans.names()).containsExactly("pro", "team");
        assertThat(plans.find("pro").orElseThrow().limits()).containsExactlyInAnyOrder(
                new WindowLimit(Window.SESSION, Money.parseDollars("10.00")),
                new WindowLimit(Window.WEEKLY, Money.parseDollars("50")));
        assertThat(plans.effective(null).orElseThrow().name()).isEqualTo("team");
        assertThat(plans.effective("pro").orElseThrow().name()).isEqualTo("pro");
        assertThat(plans.effective("retired").orElseThrow().name()).as("a plan removed from the configuration").isEqualTo("team");
    }

    @Test
    void noPlansByDefault() {
        Plans plans = read(Map.of());
        assertThat(plans.isEmpty()).isTrue();
        assertThat(plans.effective(null)).isEmpty();
    }

    @Test
    void mistakesFailWithTheirProperty() {
        assertThatThrownBy(() -> read(Map.of("tollgate.plans.pro.windows.hourly.limit-usd", "1")))
                .hasMessageContaining("tollgate.plans.pro.windows.hourly").hasMessageContaining("session, daily, weekly, monthly");
        assertThatThrownBy(() -> read(Map.of("tollgate.plans.pro.windows.daily.limit-usd", "-1")))
                .hasMessageContaining("tollgate.plans.pro.windows.daily.limit-usd");
        assertThatThrownBy(() -> read(Map.of("tollgate.plans.pro.windows.daily.limit-usd", "0.0000001")))
                .hasMessageContaining("at most 6 decimals");
        assertThatThrownBy(() -> read(Map.of("tollgate.plans.pro.windows.daily.limit-usd", "1", "tollgate.default-plan", "gold")))
                .hasMessageContaining("gold");
    }

    private static Plans read(Map<String, Object> properties) {
        try (DefaultEnvironment environment = new DefaultEnvironment(() -> List.of(Environment.TEST))) {
            environment.addPropertySource(PropertySource.of("test", properties));
            environment.start();
            return PlansConfig.read(environment);
        }
    }
}
