package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.upstream.SseEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What both clients' streamed bodies must do for the relay: run the hook set by
 * {@link UpstreamHttp.Streamed#beforeWaiting} before a read that waits for the network. The server sends an event
 * and a comment in one write, and the next event only when the test lets it: a reader that got past the comment
 * must have run the hook before it waited.
 */
final class WaitingHookCheck {

    /** Posts a streamed request to {@code uri}. */
    interface Client {
        UpstreamHttp.Streamed post(URI uri) throws Exception;
    }

    private WaitingHookCheck() {
    }

    /** @param commentIsBuffered the client reads the comment with the event (Tollgate's client; the JDK's may not) */
    static void hookRunsBeforeAReadThatWaits(Client client, boolean commentIsBuffered) throws Exception {
        CountDownLatch rest = new CountDownLatch(1);
        try (RawHttpServer server = RawHttpServer.start(conn -> {
                conn.readRequest();
                conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("data: one\n\n") + chunk(": ping\n\n"));
                rest.await(10, TimeUnit.SECONDS);
                conn.write(chunk("data: two\n\n") + "0\r\n\r\n");
                conn.awaitClientGone(Duration.ofSeconds(10));
            });
             ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            UpstreamHttp.Streamed response = client.post(server.uri("/v1/test"));
            AtomicInteger waits = new AtomicInteger();
            UpstreamHttp.Streamed.beforeWaiting(response.body(), waits::incrementAndGet);
            SseEvents events = new SseEvents(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
            assertThat(events.next()).isEqualTo("one");
            if (commentIsBuffered) {
                assertThat(events.ready()).as("the comment's chunk is here").isTrue();
            }
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
            assertThat(server.handlerFailure()).isNull();
        } finally {
            rest.countDown();
        }
    }

    static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }
}
