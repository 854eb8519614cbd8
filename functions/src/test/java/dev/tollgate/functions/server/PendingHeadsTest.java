package dev.tollgate.functions.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-wide bound on incomplete heads: the longest-waiting connection goes first, each only once. */
class PendingHeadsTest {

    private final List<String> evicted = new ArrayList<>();

    @Test
    void oneHeadOverTheBoundEvictsTheOldestStillPendingOne() {
        PendingHeads heads = new PendingHeads(2);
        PendingHeads.Entry first = heads.add(() -> evicted.add("first"));
        PendingHeads.Entry second = heads.add(() -> evicted.add("second"));
        heads.add(() -> evicted.add("third"));
        assertThat(evicted).containsExactly("first");
        assertThat(heads.pending()).isEqualTo(2);
        assertThat(first.complete()).as("an evicted wait is already over").isFalse();

        second.complete(); // its head arrived
        heads.add(() -> evicted.add("fourth"));
        heads.add(() -> evicted.add("fifth"));
        assertThat(evicted).as("the completed second is skipped, the third is now the oldest")
                .containsExactly("first", "third");
    }

    @Test
    void completedHeadsDoNotCountAndLeaveTheQueue() {
        PendingHeads heads = new PendingHeads(1);
        for (int i = 0; i < 1000; i++) {
            PendingHeads.Entry entry = heads.add(() -> evicted.add("any"));
            assertThat(entry.complete()).isTrue();
            assertThat(entry.complete()).as("only the first completion counts").isFalse();
        }
        assertThat(heads.pending()).isZero();
        assertThat(evicted).isEmpty();
    }
}
