package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Http1Client} when the upstream misbehaves: stale pooled connections (sent again once), fresh ones
 * closed before an answer (an error, no retry), silent or stalled servers (timeouts), refused connections and
 * header injection. Each server that stalls waits on {@link #release}, opened after the test.
 */
@Timeout(30)
class Http1ClientFailuresIT {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(5);
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final Http1Client client = new Http1Client(Duration.ofSeconds(2));
    private final CountDownLatch release = new CountDownLatch(1);
    private RawHttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
            assertThat(server.handlerFailure()).isNull();
        }
    }

    @ParameterizedTest(name = "abortive close: {0}")
    @ValueSource(booleans = {false, true})
    void aPooledConnectionTheServerClosedIsReplacedTransparently(boolean reset) throws Exception {
        CountDownLatch firstClosed = new CountDownLatch(1);
        AtomicInteger connections = new AtomicInteger();
        server = RawHttpServer.start(conn -> {
            boolean first = connections.incrementAndGet() == 1;
            RawHttpServer.Request request;
            while ((request = conn.readRequest()) != null) {
                conn.write("HTTP/1.1 200 OK\r\nContent-Length: " + request.body().length + "\r\n\r\n" + request.bodyText());
                if (first) {
                    // An idle keep-alive timeout on the server: it goes away right after answering.
                    if (reset) {
                        conn.closeWithReset();
                    } else {
                        conn.close();
                    }
                    firstClosed.countDown();
                    return;
                }
            }
        });

        assertThat(post("one", LONG).body()).isEqualTo(bytes("one"));
        assertThat(client.idleConnections()).isEqualTo(1);
        assertThat(firstClosed.await(5, TimeUnit.SECONDS)).isTrue();
        UpstreamHttp.Buffered second = post("two", LONG);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(bytes("two"));
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(server.takeRequest().bodyText()).isEqualTo("one");
        assertThat(server.takeRequest().bodyText()).isEqualTo("two");
        assertThat(server.pendingRequests()).isZero();
        assertThat(client.idleConnections()).isEqualTo(1);
    }

    @Test
    void aPooledConnectionThatDiesLongAfterTheRequestIsNotSentAgain() throws Exception {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write(OK);
            conn.readRequest();
            // Pacing: like an upstream that read the request, worked on it, then died without an answer.
            release.await(Http1Client.STALE_WITHIN.toMillis() + 300, TimeUnit.MILLISECONDS);
            conn.close();
        });
        post("one", LONG);

        assertThatThrownBy(() -> post("two", LONG)).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(server.accepted()).as("the second request was not sent again on a new connection").isEqualTo(1);
    }

    @Test
    void aFreshConnectionClosedBeforeAnAnswerFailsWithoutRetrying() {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.close();
        });

        assertThatThrownBy(() -> post("one", LONG)).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);

        assertThat(server.accepted()).isEqualTo(1);
        assertThat(client.idleConnections()).isZero();
    }

    /**
     * A body cut short of its Content-Length fails: one read into an array of that length, one longer than that is
     * read into at once (5 MB, read as it arrives), and one beyond what a buffered answer may hold.
     */
    @ParameterizedTest
    @ValueSource(strings = {"10", "5000000", "999999999999"})
    void aBodyShorterThanItsContentLengthFails(String contentLength) {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: " + contentLength + "\r\n\r\nhello");
            conn.close();
        });

        assertThatThrownBy(() -> post("one", LONG)).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void aFreshConnectionClosedInsideTheHeadersFails() {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Len");
            conn.close();
        });

        assertThatThrownBy(() -> post("one", LONG)).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aServerThatNeverAnswersTimesOutWaitingForHeaders() {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            release.await();
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> post("one", SHORT)).isInstanceOf(HttpTimeoutException.class);
        assertThatThrownBy(() -> client.postStreamed(server.uri("/v1/test"), Map.of(), bytes("two"), SHORT))
                .isInstanceOf(HttpTimeoutException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(SHORT.multipliedBy(2).minusMillis(50), Duration.ofSeconds(5));
        assertThat(client.idleConnections()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"})
    void aBodyThatStallsAfterTheHeadersTimesOutABufferedPost(String partialAnswer) {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write(partialAnswer);
            release.await();
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> post("one", SHORT)).isInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.idleConnections()).isZero();
    }

    /**
     * The deadline bounds the whole answer, not each read: a server that trickles a header line one byte at a
     * time, each byte well within the remaining time, must still time out at the deadline.
     */
    @Test
    void aHeaderTrickledByteByByteStillTimesOutAtTheDeadline() {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nX-Slow: ");
            // Pacing, not synchronization: one byte every 100 ms until the test is over (at most 10 s).
            for (int i = 0; i < 100 && !release.await(100, TimeUnit.MILLISECONDS); i++) {
                conn.write("x");
            }
            conn.write("\r\nContent-Length: 2\r\n\r\nok");
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> post("one", SHORT)).isInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    /**
     * A deadline is kept by watching the connection until its exchange ends: one that went back to the pool is not
     * watched, or its last exchange's deadline would close it there, under the next request. Waiting for that
     * deadline to pass is the point of the test.
     */
    @Test
    void aPooledConnectionOutlivesTheDeadlineOfTheExchangeThatUsedIt() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        Duration deadline = Duration.ofMillis(200);
        long start = System.nanoTime();
        assertThat(post("one", deadline).status()).isEqualTo(200);
        assertThat(client.idleConnections()).isEqualTo(1);

        // Past the first exchange's deadline, and some of the watch's ticks (10 ms each) after it.
        long past = start + deadline.plusMillis(150).toNanos();
        while (System.nanoTime() - past < 0) {
            LockSupport.parkNanos(past - System.nanoTime());
        }
        assertThat(post("two", LONG).status()).isEqualTo(200);

        assertThat(server.accepted()).as("the second request reused the pooled connection").isEqualTo(1);
    }

    /** Blocking socket writes have no timeout of their own; the deadline must still hold while sending. */
    @Test
    void aServerThatNeverReadsALargeBodyTimesOutWhileSending() {
        server = RawHttpServer.start(conn -> release.await());
        byte[] large = new byte[64 * 1024 * 1024]; // far beyond loopback socket buffers

        // Preemptive: a platform thread blocked in a socket write ignores interrupts, so @Timeout could not end it.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(
                () -> client.post(server.uri("/v1/test"), Map.of(), large, SHORT)).isInstanceOf(HttpTimeoutException.class));
    }

    @Test
    void aPortWithNothingListeningIsAConnectException() throws Exception {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort();
        }

        assertThatThrownBy(() -> client.post(URI.create("http://127.0.0.1:" + port + "/v1/test"), Map.of(),
                bytes("one"), LONG)).isInstanceOf(ConnectException.class);
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void aLineBreakInAHeaderIsRejectedBeforeAnythingIsSent() throws Exception {
        server = RawHttpServer.keepAlive(request -> OK);

        assertThatThrownBy(() -> client.post(server.uri("/v1/test"), Map.of("X-Evil", "a\r\nX-Injected: 1"),
                bytes("evil"), LONG)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.post(server.uri("/v1/test"), Map.of("X-Evil", "a\nb"),
                bytes("evil"), LONG)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.post(server.uri("/v1/test"), Map.of("X-Evil\r\nX-Injected", "1"),
                bytes("evil"), LONG)).isInstanceOf(IllegalArgumentException.class);
        post("good", LONG);

        // Connections are accepted in order, so had a rejected request opened one, it would be counted here.
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(server.takeRequest().bodyText()).isEqualTo("good");
        assertThat(server.pendingRequests()).isZero();
    }

    private UpstreamHttp.Buffered post(String body, Duration timeout) throws Exception {
        return client.post(server.uri("/v1/test"), Map.of(), bytes(body), timeout);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
