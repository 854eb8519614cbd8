package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.metrics.Metrics;
import dev.tollgate.metrics.UpstreamError;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stream's duration is reported once, as ok or error; a stream Tollgate closed is not the upstream's error. */
class MeteredStreamTest {

    private final List<String> seen = new ArrayList<>();
    private final Metrics metrics = new Metrics() {
        @Override
        public void upstreamDuration(String upstream, boolean ok, long nanos) {
            seen.add(upstream + " duration " + (ok ? "ok" : "error") + (nanos >= 0 ? "" : " negative"));
        }

        @Override
        public void upstreamError(String upstream, UpstreamError kind) {
            seen.add(upstream + " error " + kind.tag());
        }
    };

    /** Answers the given payloads; an {@link IOException} in the list is thrown instead. */
    private static UpstreamStream upstream(Object... events) {
        Deque<Object> queue = new ArrayDeque<>(List.of(events));
        return new UpstreamStream() {
            @Override
            public String next() throws IOException {
                Object next = queue.poll();
                if (next instanceof IOException e) {
                    throw e;
                }
                return (String) next;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aStreamReadToDoneIsOneSuccess() throws IOException {
        MeteredStream stream = new MeteredStream(upstream("{}", SseEvents.DONE), metrics, "ollama", System.nanoTime());
        stream.next();
        assertThat(stream.next()).isSameAs(SseEvents.DONE);
        stream.release();
        stream.close();
        assertThat(seen).containsExactly("ollama duration ok");
    }

    @Test
    void aBrokenStreamIsAConnectErrorAndAFailedDuration() throws IOException {
        MeteredStream stream = new MeteredStream(upstream("{}", new IOException("reset")), metrics, "ollama", System.nanoTime());
        stream.next();
        assertThatThrownBy(stream::next).isInstanceOf(IOException.class);
        stream.close();
        assertThat(seen).containsExactly("ollama error connect", "ollama duration error");
    }

    @Test
    void aStreamCutWithoutDoneIsAProtocolError() throws IOException {
        MeteredStream stream = new MeteredStream(upstream("{}"), metrics, "ollama", System.nanoTime());
        stream.next();
        assertThat(stream.next()).isNull();
        stream.close();
        assertThat(seen).containsExactly("ollama error protocol", "ollama duration error");
    }

    @Test
    void aStreamClosedBecauseTheCallerLeftIsNoUpstreamError() throws IOException {
        MeteredStream stream = new MeteredStream(upstream("{}", new IOException("closed")), metrics, "ollama", System.nanoTime());
        stream.next();
        stream.close();
        assertThatThrownBy(stream::next).isInstanceOf(IOException.class);
        assertThat(seen).containsExactly("ollama duration ok");
    }
}
