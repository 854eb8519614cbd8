package dev.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepCounterTest {

    @Test
    void countsNumberedLinesInEveryCommonSpelling() {
        assertThat(StepCounter.steps("Do this:\n1. boil\n2) add pasta\n(3) drain\nStep 4: serve\n  5. eat")).isEqualTo(5);
    }

    @Test
    void numbersInsideSentencesAndBareNumbersAreNoSteps() {
        assertThat(StepCounter.steps("I have 3 cats and 2 dogs.\n1999 was a good year.\n3.14 is pi\n12.")).isZero();
    }

    @Test
    void stepByStepInAnySpelling() {
        assertThat(StepCounter.stepByStep("Explain it step by step")).isTrue();
        assertThat(StepCounter.stepByStep("a Step-By-Step guide")).isTrue();
        assertThat(StepCounter.stepByStep("one step at a time")).isFalse();
    }
}
