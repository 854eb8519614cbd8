package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.chat.StreamEnd;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void everyWayAStreamEndsHasAStatusTag() {
        assertThat(Outcome.ofSettled(StreamEnd.COMPLETED.status())).isEqualTo(Outcome.OK);
        assertThat(Outcome.ofSettled(StreamEnd.CLIENT_DISCONNECTED.status())).isEqualTo(Outcome.CANCELLED);
        assertThat(Outcome.ofSettled(StreamEnd.UPSTREAM_FAILED.status())).isEqualTo(Outcome.UPSTREAM_ERROR);
        assertThat(Outcome.ofSettled(StreamEnd.UPSTREAM_IDLE.status())).isEqualTo(Outcome.UPSTREAM_ERROR);
        assertThat(Outcome.ofSettled(StreamEnd.TOO_LONG.status())).isEqualTo(Outcome.CUT);
        assertThat(Outcome.ofSettled(StreamEnd.OUTPUT_BOUND.status())).isEqualTo(Outcome.CUT);
        assertThat(Outcome.ofSettled(StreamEnd.SHUTDOWN.status())).isEqualTo(Outcome.CUT);
    }

    @Test
    void refusalsByHttpStatus() {
        assertThat(Outcome.ofRefusal(401)).isEqualTo(Outcome.REFUSED);
        assertThat(Outcome.ofRefusal(403)).isEqualTo(Outcome.REFUSED);
        assertThat(Outcome.ofRefusal(429)).isEqualTo(Outcome.REFUSED);
        assertThat(Outcome.ofRefusal(400)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(Outcome.ofRefusal(404)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(Outcome.ofRefusal(413)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(Outcome.ofRefusal(503)).isEqualTo(Outcome.UPSTREAM_ERROR);
    }

    @Test
    void tagsAreTheContractsValues() {
        assertThat(java.util.Arrays.stream(Outcome.values()).map(Outcome::tag))
                .containsExactly("ok", "refused", "client_error", "upstream_error", "cut", "cancelled");
        assertThat(java.util.Arrays.stream(Endpoint.values()).map(Endpoint::tag))
                .containsExactly("chat", "responses", "messages", "completions", "embeddings");
        assertThat(java.util.Arrays.stream(UpstreamError.values()).map(UpstreamError::tag))
                .containsExactly("connect", "timeout", "status_5xx", "status_4xx", "protocol");
    }
}
