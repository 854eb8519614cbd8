package dev.tollgate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecondTextTest {

    @Test
    void makesASecondsTextOnceAndAgainOnlyWhenTheSecondChanges() {
        List<Long> made = new ArrayList<>();
        SecondText text = new SecondText(second -> {
            made.add(second);
            return "second " + second;
        });

        String first = text.at(100);
        assertThat(text.at(100)).isSameAs(first).isEqualTo("second 100");
        assertThat(text.at(101)).isEqualTo("second 101");
        assertThat(text.at(101)).isEqualTo("second 101");
        assertThat(text.at(100)).isEqualTo("second 100");  // a line stamped a second late is made anew, not mixed up

        assertThat(made).containsExactly(100L, 101L, 100L);
    }
}
