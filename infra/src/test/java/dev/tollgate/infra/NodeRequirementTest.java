package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Regression: without Node.js 14 of the 33 infrastructure tests skipped silently, so CI could pass without ever
 * synthesizing the stack. Under CI they now fail; on a developer's machine without node they still skip.
 */
class NodeRequirementTest {

    @Test
    void withoutNodeUnderCiTheStackTestsFail() {
        assertThatThrownBy(() -> Synth.requireNode(false, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("install node");
    }

    @Test
    void withoutNodeElsewhereTheyAreSkippedSayingWhy() {
        assertThatThrownBy(() -> Synth.requireNode(false, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("install node");
    }

    @Test
    void withNodeTheyRun() {
        assertThatCode(() -> Synth.requireNode(true, true)).doesNotThrowAnyException();
        assertThatCode(() -> Synth.requireNode(true, false)).doesNotThrowAnyException();
    }
}
