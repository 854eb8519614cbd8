package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watched parent is the one {@code tollgate.local.parent-pid} names when set (scripts/run-local.sh: Maven). */
class ParentWatchTest {

    @AfterEach
    void clear() {
        System.clearProperty("tollgate.local.parent-pid");
    }

    @Test
    void aNamedParentThatHasEndedStopsTheServerAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        System.setProperty("tollgate.local.parent-pid", Long.toString(gone.pid()));
        CompletableFuture<Long> stopped = new CompletableFuture<>();

        ParentWatch.start(stopped::complete);

        assertThat(stopped.getNow(null)).isEqualTo(gone.pid());
    }

    @Test
    void aNamedParentIsWatchedUntilItEnds() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        System.setProperty("tollgate.local.parent-pid", Long.toString(parent.pid()));
        CompletableFuture<Long> stopped = new CompletableFuture<>();

        ParentWatch.start(stopped::complete);
        assertThat(stopped).isNotDone();
        parent.destroy();

        assertThat(stopped.get(10, TimeUnit.SECONDS)).isEqualTo(parent.pid());
    }
}
