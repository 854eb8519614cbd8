package dev.tollgate.http;

import static dev.tollgate.http.WaitingHookCheck.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.upstream.SseEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Http1Client#postStreamed}: it returns once the headers are in, the body then has no deadline, closing
 * the body early drops the connection (that is how a stream is cancelled upstream), and a body read to its end
 * leaves the connection reusable. The last two are also checked against {@link FakeOpenAiUpstream}'s SSE.
 */
@Timeout(30)
class Http1ClientStreamIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String CHAT = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CHUNKED_OK = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    /** An SSE stream's last event, {@code data: [DONE]}, as one 14-byte chunk. */
    private static final String DONE_CHUNK = "e\r\ndata: [DONE]\n\n\r\n";
    private static final String LAST_CHUNK = "0\r\n\r\n";

    private final Http1Client client = new Http1Client(Duration.ofSeconds(2));
    private final CountDownLatch release = new CountDownLatch(1);
    private RawHttpServer server;
    private FakeOpenAiUpstream upstream;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
            assertThat(server.handlerFailure()).isNull();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void returnsAfterTheHeadersAndClosingEarlyDropsTheConnection() throws Exception {
        LinkedBlockingQueue<Boolean> clientGone = new LinkedBlockingQueue<>();
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "d\r\ndata: first\n\n\r\n");
            // Holds the rest of the body until the client goes away (or the test times out).
            clientGone.add(conn.awaitClientGone(Duration.ofSeconds(10)));
        });

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/chat/completions"), Map.of(), bytes(CHAT), TIMEOUT);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().readNBytes(13)).isEqualTo(bytes("data: first\n\n"));
        response.body().close();

        assertThat(clientGone.poll(5, TimeUnit.SECONDS)).as("server saw the connection end").isTrue();
        assertThat(client.idleConnections()).isZero();
        assertThatThrownBy(() -> response.body().read()).isInstanceOf(IOException.class);
    }

    @Test
    void theBodyHasNoDeadlineOnceTheHeadersArrived() throws Exception {
        Duration headersTimeout = Duration.ofMillis(200);
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n");
            // Pacing, not synchronization: stay silent for longer than the headers timeout, then finish.
            release.await(3 * headersTimeout.toMillis(), TimeUnit.MILLISECONDS);
            conn.write("late");
            conn.readRequest();
        });

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes("one"), headersTimeout);

        try (InputStream body = response.body()) {
            assertThat(body.readAllBytes()).isEqualTo(bytes("late"));
        }
        assertThat(client.idleConnections()).isEqualTo(1);
    }

    @Test
    void anErrorAnswersBodyStaysUnderTheHeadersDeadline() throws Exception {
        Duration headersTimeout = Duration.ofMillis(300);
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\n{\"error\"");
            // Pacing: the rest of the error body never comes while the client waits.
            release.await(10, TimeUnit.SECONDS);
        });

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/chat/completions"), Map.of(), bytes(CHAT),
                headersTimeout);
        assertThat(response.status()).isEqualTo(503);
        long start = System.nanoTime();
        // The provider reads an error body before it reports the status; a stalled one must not hang it.
        assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aStreamedBodyReadToTheEndLeavesTheConnectionReusable() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "7\r\ndata: a\r\n7;ext\r\ndata: b\r\n0\r\n\r\n");

        String first = readStreamed(server.uri("/v1/test"));
        assertThat(client.idleConnections()).isEqualTo(1);
        String second = readStreamed(server.uri("/v1/test"));

        assertThat(first).isEqualTo("data: adata: b");
        assertThat(second).isEqualTo(first);
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aStreamed204IsAnEmptyBodyAndTheConnectionIsReusable() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 204 No Content\r\n\r\n");

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes("one"), TIMEOUT);
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body().read()).isEqualTo(-1);
        response.body().close();
        client.post(server.uri("/v1/test"), Map.of(), bytes("two"), TIMEOUT);

        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void anSseChatStreamFromTheFakeUpstreamIsReadWholeOnOneConnection() throws Exception {
        upstream = FakeOpenAiUpstream.start();
        URI uri = URI.create(upstream.baseUrl() + "/chat/completions");

        String first = readStreamed(uri);
        String second = readStreamed(uri);

        assertThat(first).contains("\"content\":\"Hello\"", "\"content\":\" from\"", "\"content\":\" fake\"")
                .endsWith("data: [DONE]\n\n");
        assertThat(second).contains("\"content\":\"Hello\"").endsWith("data: [DONE]\n\n");
        assertThat(upstream.requests()).hasSize(2);
        assertThat(upstream.connectionsOpen()).isEqualTo(1);
        assertThat(client.idleConnections()).isEqualTo(1);
    }

    @Test
    void closingAnSseStreamMidwayIsSeenByTheFakeUpstreamAsTheClientLeaving() throws Exception {
        upstream = FakeOpenAiUpstream.start();
        upstream.enqueue(Behavior.defaults().holdAfterPiece(0, release));
        URI uri = URI.create(upstream.baseUrl() + "/chat/completions");

        UpstreamHttp.Streamed response = client.postStreamed(uri, Map.of("Content-Type", "application/json"), bytes(CHAT), TIMEOUT);
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!seen.toString().contains("\"content\":\"Hello\"")) {
            int n = response.body().read(buffer);
            assertThat(n).as("stream ended before the first piece").isPositive();
            seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        response.body().close();

        assertThat(upstream.awaitClientDisconnect(Duration.ofSeconds(5))).isTrue();
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void aBodyReleasedAfterItsPayloadKeepsTheConnectionWhenTheLastChunkFollows() throws Exception {
        server = RawHttpServer.keepAlive(request -> CHUNKED_OK + DONE_CHUNK + LAST_CHUNK);

        for (int i = 0; i < 3; i++) {
            UpstreamHttp.Streamed response = streamReadToDone();
            assertThat(UpstreamHttp.Streamed.release(response.body(), Duration.ofSeconds(2))).isTrue();
            assertThat(client.idleConnections()).isEqualTo(1);
            assertThatThrownBy(() -> response.body().read()).isInstanceOf(IOException.class);
        }

        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aBodyWhoseEndDoesNotArriveWithinTheBoundIsClosedOnRelease() throws Exception {
        LinkedBlockingQueue<Boolean> clientGone = new LinkedBlockingQueue<>();
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write(CHUNKED_OK + DONE_CHUNK);
            // The last chunk never comes: the client must give the connection up rather than wait or pool it.
            clientGone.add(conn.awaitClientGone(Duration.ofSeconds(10)));
        });

        UpstreamHttp.Streamed response = streamReadToDone();
        long start = System.nanoTime();
        boolean kept = UpstreamHttp.Streamed.release(response.body(), Duration.ofMillis(100));

        assertThat(kept).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.idleConnections()).isZero();
        assertThat(clientGone.poll(5, TimeUnit.SECONDS)).as("server saw the connection end").isTrue();
    }

    @Test
    void aBodyThatGoesOnTalkingAfterItsPayloadIsNotKept() throws Exception {
        String more = "x".repeat(1000);
        server = RawHttpServer.keepAlive(request -> CHUNKED_OK + DONE_CHUNK
                + ("3e8\r\n" + more + "\r\n").repeat(100) + LAST_CHUNK);

        UpstreamHttp.Streamed response = streamReadToDone();

        assertThat(UpstreamHttp.Streamed.release(response.body(), Duration.ofSeconds(2))).isFalse();
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void aReleasedBodyOfAConnectionCloseResponseIsReadToItsEndButNotPooled() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + DONE_CHUNK + LAST_CHUNK);

        UpstreamHttp.Streamed response = streamReadToDone();

        assertThat(UpstreamHttp.Streamed.release(response.body(), Duration.ofSeconds(2))).isFalse();
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void releasingAClosedBodyKeepsNothing() throws Exception {
        server = RawHttpServer.keepAlive(request -> CHUNKED_OK + DONE_CHUNK + LAST_CHUNK);

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes(CHAT), TIMEOUT);
        response.body().close();

        assertThat(UpstreamHttp.Streamed.release(response.body(), Duration.ofSeconds(2))).isFalse();
        assertThat(client.idleConnections()).isZero();
    }

    /**
     * An upstream sends each SSE event as its own chunk, and under load several in one write: the relay learns from
     * {@link SseEvents#ready()} that the next event is already here, so it writes the burst to its caller at once.
     * Framing only partly here (a chunk's size line without its data, or the CRLF after data not yet read) is not
     * "ready", and asking never waits for the network.
     */
    @Test
    void eventsOfABurstAreReadyAndPartialFramingIsNot() throws Exception {
        CountDownLatch rest = new CountDownLatch(1);
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write(CHUNKED_OK + chunk("data: one\n\n") + chunk("data: two\n\n") + "d\r\ndata: three\n\n");
            rest.await(10, TimeUnit.SECONDS);
            conn.write("\r\n9\r\n");            // a size line whose data comes later
            conn.write("data: x\n\n\r\n" + LAST_CHUNK);
            conn.awaitClientGone(Duration.ofSeconds(10));
        });

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes(CHAT), TIMEOUT);
        SseEvents events = new SseEvents(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
        assertThat(events.next()).isEqualTo("one");
        assertThat(events.ready()).as("the second event came in the same write").isTrue();
        assertThat(events.next()).isEqualTo("two");
        assertThat(events.ready()).isTrue();
        assertThat(events.next()).isEqualTo("three");
        assertThat(events.ready()).as("only the CRLF after the data is missing: a read would wait").isFalse();
        rest.countDown();

        assertThat(events.next()).isEqualTo("x");
        assertThat(events.next()).as("the body's end").isNull();
        response.body().close();
    }

    @Test
    void aChunkWhoseSizeLineIsHereButNotItsDataIsNotAvailable() throws Exception {
        CountDownLatch rest = new CountDownLatch(1);
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write(CHUNKED_OK + chunk("data: one\n\n") + "9\r\n");
            rest.await(10, TimeUnit.SECONDS);
            conn.write("data: x\n\n\r\n" + LAST_CHUNK);
            conn.awaitClientGone(Duration.ofSeconds(10));
        });

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes(CHAT), TIMEOUT);
        InputStream body = response.body();
        assertThat(body.readNBytes(11)).isEqualTo(bytes("data: one\n\n"));
        assertThat(body.available()).isZero();
        assertThat(body.available()).as("asking again changes nothing").isZero();
        rest.countDown();

        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: x\n\n");
        body.close();
    }

    @Test
    void availableCountsOnlyTheBufferedDataOfTheCurrentAndNextChunks() throws Exception {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write(CHUNKED_OK + chunk("abcdef") + "4;name=value\r\nwxyz\r\n" + LAST_CHUNK);
            conn.awaitClientGone(Duration.ofSeconds(10));
        });

        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes(CHAT), TIMEOUT);
        InputStream body = response.body();
        assertThat(body.available()).as("the first chunk's data").isEqualTo(6);
        assertThat(body.readNBytes(4)).isEqualTo(bytes("abcd"));
        assertThat(body.available()).isEqualTo(2);
        assertThat(body.readNBytes(2)).isEqualTo(bytes("ef"));
        assertThat(body.available()).as("the next chunk's data, past its framing and extension").isEqualTo(4);
        assertThat(body.readNBytes(4)).isEqualTo(bytes("wxyz"));
        assertThat(body.available()).as("the last chunk announces no data").isZero();
        assertThat(body.read()).isEqualTo(-1);
        assertThat(body.available()).isZero();
        body.close();
    }

    /**
     * A relay holds the frames of a burst until the upstream has nothing more already read. A chunk that makes no
     * event (a comment) can make the body look "ready" although the next event is still to come: the hook set by
     * {@link UpstreamHttp.Streamed#beforeWaiting} runs before the read that waits for it, so nothing held waits too.
     */
    @Test
    void theWaitingHookRunsBeforeAReadThatWaitsForTheNetwork() throws Exception {
        WaitingHookCheck.hookRunsBeforeAReadThatWaits(uri -> client.postStreamed(uri, Map.of(), bytes(CHAT), TIMEOUT), true);
    }

    @Test
    void theWaitingHookEndsWithTheBodyAndNeverRunsForTheConnectionsNextRequest() throws Exception {
        server = RawHttpServer.keepAlive(request -> CHUNKED_OK + chunk("data: one\n\n") + LAST_CHUNK);
        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes(CHAT), TIMEOUT);
        AtomicInteger waits = new AtomicInteger();
        UpstreamHttp.Streamed.beforeWaiting(response.body(), waits::incrementAndGet);
        assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
        int afterTheBody = waits.get();

        client.post(server.uri("/v1/test"), Map.of(), bytes(CHAT), TIMEOUT);

        assertThat(server.accepted()).as("the same connection").isEqualTo(1);
        assertThat(waits.get()).isEqualTo(afterTheBody);
    }

    /** Posts to the raw server and reads the body's payload up to the end of its {@code [DONE]} event. */
    private UpstreamHttp.Streamed streamReadToDone() throws Exception {
        UpstreamHttp.Streamed response = client.postStreamed(server.uri("/v1/test"), Map.of(), bytes(CHAT), TIMEOUT);
        assertThat(response.body().readNBytes(14)).isEqualTo(bytes("data: [DONE]\n\n"));
        return response;
    }

    private String readStreamed(URI uri) throws Exception {
        UpstreamHttp.Streamed response = client.postStreamed(uri, Map.of("Content-Type", "application/json"), bytes(CHAT), TIMEOUT);
        assertThat(response.status()).isEqualTo(200);
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
