package dev.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.catalog.AutoRouting.Match;
import dev.tollgate.catalog.MatchKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each matcher kind against signals, with its parameters at and around their thresholds. */
class MatchersTest {

    private static final RequestSignals NOTHING = new RequestSignals(0, false, false, false, 0, false, 0, false, 10);

    @Test
    void flagsMatchExactlyTheirSignal() {
        assertThat(matches(MatchKind.IMAGE_PARTS, signals(1, false, false, false))).isTrue();
        assertThat(matches(MatchKind.TOOLS, signals(0, true, false, false))).isTrue();
        assertThat(matches(MatchKind.JSON_SCHEMA, signals(0, false, true, false))).isTrue();
        assertThat(matches(MatchKind.REASONING_OPTIONS, signals(0, false, false, true))).isTrue();
        for (MatchKind kind : new MatchKind[] {MatchKind.IMAGE_PARTS, MatchKind.TOOLS, MatchKind.JSON_SCHEMA,
                MatchKind.REASONING_OPTIONS, MatchKind.CODE, MatchKind.MULTI_STEP}) {
            assertThat(matches(kind, NOTHING)).as(kind.wireName()).isFalse();
        }
        assertThat(matches(MatchKind.ALWAYS, NOTHING)).isTrue();
    }

    @Test
    void codeMatchesFromItsPercentOrWhenAskedWithIntent() {
        Match at30 = new Match(MatchKind.CODE, Map.of("min_code_percent", 30), Map.of());
        Match withIntent = new Match(MatchKind.CODE, Map.of("min_code_percent", 30), Map.of("intent", true));
        assertThat(Matchers.matches(at30, code(30, false))).isTrue();
        assertThat(Matchers.matches(at30, code(29, false))).isFalse();
        assertThat(Matchers.matches(at30, code(0, true))).as("intent only counts when the rule says so").isFalse();
        assertThat(Matchers.matches(withIntent, code(0, true))).isTrue();
    }

    @Test
    void multiStepNeedsEnoughStepsOrStepByStepAndALongEnoughPrompt() {
        Match rule = new Match(MatchKind.MULTI_STEP, Map.of("min_steps", 3, "min_prompt_tokens", 100), Map.of());
        assertThat(Matchers.matches(rule, steps(3, false, 100))).isTrue();
        assertThat(Matchers.matches(rule, steps(2, false, 100))).isFalse();
        assertThat(Matchers.matches(rule, steps(3, false, 99))).isFalse();
        assertThat(Matchers.matches(rule, steps(0, true, 100))).isTrue();
        assertThat(Matchers.matches(new Match(MatchKind.MULTI_STEP, Map.of(), Map.of()), steps(3, false, 1)))
                .as("defaults: 3 steps, any length").isTrue();
    }

    private static boolean matches(MatchKind kind, RequestSignals signals) {
        return Matchers.matches(new Match(kind, Map.of(), Map.of()), signals);
    }

    private static RequestSignals signals(int images, boolean tools, boolean schema, boolean reasoning) {
        return new RequestSignals(images, tools, schema, reasoning, 0, false, 0, false, 10);
    }

    private static RequestSignals code(int percent, boolean intent) {
        return new RequestSignals(0, false, false, false, percent, intent, 0, false, 10);
    }

    private static RequestSignals steps(int steps, boolean stepByStep, int tokens) {
        return new RequestSignals(0, false, false, false, 0, false, steps, stepByStep, tokens);
    }
}
