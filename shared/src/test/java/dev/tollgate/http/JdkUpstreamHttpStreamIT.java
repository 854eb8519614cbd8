package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.upstream.SseEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK client's streamed body (used for TLS upstreams; plain HTTP here, which it speaks too) runs the relay's
 * hook before a read that waits for the network, as Tollgate's own client does: an event relayed just before a
 * comment is not held until the upstream's next event.
 */
@Timeout(30)
class JdkUpstreamHttpStreamIT {

    private static final String CHUNKED_OK = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String CHAT = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}";

    private final ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor();
    private RawHttpServer server;

    @AfterEach
    void stop() {
        reader.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theWaitingHookRunsBeforeAReadThatWaitsForTheNetwork() throws Exception {
        CountDownLatch rest = new CountDownLatch(1);
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write(CHUNKED_OK + chunk("data: one\n\n") + chunk(": ping\n\n"));
            rest.await(10, TimeUnit.SECONDS);
            conn.write(chunk("data: two\n\n") + "0\r\n\r\n");
            conn.awaitClientGone(Duration.ofSeconds(10));
        });
        UpstreamHttp.Streamed response = new JdkUpstreamHttp(Duration.ofSeconds(2)).postStreamed(
                server.uri("/v1/test"), Map.of(), CHAT.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
        AtomicInteger waits = new AtomicInteger();
        UpstreamHttp.Streamed.beforeWaiting(response.body(), waits::incrementAndGet);
        SseEvents events = new SseEvents(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
        assertThat(events.next()).isEqualTo("one");
        int before = waits.get();

        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
            try {
                return events.next();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, reader);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (waits.get() == before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(waits.get()).as("the hook ran while the next event had not been sent yet").isGreaterThan(before);
        assertThat(second).isNotDone();
        rest.countDown();

        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("two");
        response.body().close();
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }
}
