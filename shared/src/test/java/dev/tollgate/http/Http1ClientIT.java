package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Http1Client} against a raw socket server: response framing (Content-Length, chunked, until-close,
 * interim 1xx, 204), which connections go back to the pool, the request as it appears on the wire, and many
 * virtual threads sharing the pool. Failures and timeouts are in {@link Http1ClientFailuresIT}, streaming in
 * {@link Http1ClientStreamIT}.
 */
@Timeout(30)
class Http1ClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Http1Client client = new Http1Client(Duration.ofSeconds(2));
    private RawHttpServer server;

    @AfterEach
    void stop() {
        server.close();
        assertThat(server.handlerFailure()).isNull();
    }

    @Test
    void aContentLengthResponseIsReturnedAndItsConnectionReused() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");

        UpstreamHttp.Buffered first = post("one");
        assertThat(client.idleConnections()).isEqualTo(1);
        UpstreamHttp.Buffered second = post("two");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(bytes("hello"));
        assertThat(second.body()).isEqualTo(bytes("hello"));
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(server.pendingRequests()).isEqualTo(2);
        assertThat(client.idleConnections()).isEqualTo(1);
    }

    @Test
    void aChunkedResponseWithExtensionsAndTrailersIsDecodedExactly() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;foo=bar\r\nhello\r\n"
                + "A;name=\"quoted;value\"\r\n, chunked!\r\n"   // upper-case hex size, extension with a ';'
                + "1\r\n\n\r\n"                                  // a chunk whose data is a bare LF
                + "0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n");

        UpstreamHttp.Buffered first = post("one");
        UpstreamHttp.Buffered second = post("two");

        assertThat(first.status()).isEqualTo(200);
        assertThat(new String(first.body(), StandardCharsets.ISO_8859_1)).isEqualTo("hello, chunked!\n");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(client.idleConnections()).isEqualTo(1);
    }

    @Test
    void aBodyFramedByTheConnectionClosingIsReadFullyAndTheConnectionNotPooled() throws Exception {
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the ");
            conn.write("connection closes");
            conn.close();
        });

        UpstreamHttp.Buffered first = post("one");
        assertThat(client.idleConnections()).isZero();
        UpstreamHttp.Buffered second = post("two");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(bytes("until the connection closes"));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void aConnectionCloseResponseIsNotPooledEvenIfTheServerKeepsTheSocketOpen() throws Exception {
        CountDownLatch clientClosed = new CountDownLatch(1);
        server = RawHttpServer.start(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            if (conn.awaitClientGone(TIMEOUT)) {
                clientClosed.countDown();
            }
        });

        UpstreamHttp.Buffered first = post("one");
        assertThat(client.idleConnections()).isZero();
        UpstreamHttp.Buffered second = post("two");

        assertThat(first.body()).isEqualTo(bytes("ok"));
        assertThat(second.body()).isEqualTo(bytes("ok"));
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(clientClosed.await(5, TimeUnit.SECONDS)).as("client closed its end").isTrue();
    }

    @Test
    void anHttp10ResponseWithoutKeepAliveIsNotPooled() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold");

        UpstreamHttp.Buffered first = post("one");
        UpstreamHttp.Buffered second = post("two");

        assertThat(first.body()).isEqualTo(bytes("old"));
        assertThat(second.body()).isEqualTo(bytes("old"));
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void interimResponsesBeforeTheRealOneAreSkipped() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");

        UpstreamHttp.Buffered first = post("one");
        UpstreamHttp.Buffered second = post("two");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(bytes("done"));
        assertThat(second.body()).isEqualTo(bytes("done"));
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void a204WithoutBodyIsEmptyAndItsConnectionReusable() throws Exception {
        server = RawHttpServer.keepAlive(request -> request.bodyText().equals("empty")
                ? "HTTP/1.1 204 No Content\r\nX-Request: 1\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext");

        UpstreamHttp.Buffered empty = post("empty");
        assertThat(client.idleConnections()).isEqualTo(1);
        UpstreamHttp.Buffered next = post("two");

        assertThat(empty.status()).isEqualTo(204);
        assertThat(empty.body()).isEmpty();
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).isEqualTo(bytes("next"));
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void theServerReceivesMethodTargetHostLengthHeadersAndTheExactBody() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        byte[] body = "{\"content\":\"héllo € \\u0000\"}\n".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer sk-upstream");
        headers.put("Content-Type", "application/json");
        headers.put("X-Trace", "a=1; b=\"two\"");

        UpstreamHttp.Buffered response = client.post(server.uri("/v1/chat/completions?api-version=2024-10-21&x=%20y"),
                headers, body, TIMEOUT);

        RawHttpServer.Request received = server.takeRequest();
        assertThat(response.status()).isEqualTo(200);
        assertThat(received.requestLine()).isEqualTo("POST /v1/chat/completions?api-version=2024-10-21&x=%20y HTTP/1.1");
        assertThat(received.headers()).containsExactlyInAnyOrder(
                "Host: 127.0.0.1:" + server.port(),
                "User-Agent: Tollgate",
                "Content-Length: " + body.length,
                "Authorization: Bearer sk-upstream",
                "Content-Type: application/json",
                "X-Trace: a=1; b=\"two\"");
        assertThat(received.body()).isEqualTo(body);
    }

    @Test
    void anEmptyPathIsSentAsSlash() throws Exception {
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        client.post(server.uri(""), Map.of(), new byte[0], TIMEOUT);

        RawHttpServer.Request received = server.takeRequest();
        assertThat(received.requestLine()).isEqualTo("POST / HTTP/1.1");
        assertThat(received.headers()).contains("Content-Length: 0");
        assertThat(received.body()).isEmpty();
    }

    @Test
    void manyVirtualThreadsShareThePoolAndEachGetsItsOwnAnswer() throws Exception {
        int threads = 50;
        int requestsEach = 20;
        // Echo the body back, so an answer handed to the wrong caller (a framing or pooling mix-up) shows.
        server = RawHttpServer.keepAlive(request -> "HTTP/1.1 200 OK\r\nContent-Length: " + request.body().length
                + "\r\n\r\n" + new String(request.body(), StandardCharsets.ISO_8859_1));
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    for (int r = 0; r < requestsEach; r++) {
                        String body = "thread-" + thread + "-request-" + r;
                        UpstreamHttp.Buffered answer = post(body);
                        if (answer.status() == 200 && new String(answer.body(), StandardCharsets.UTF_8).equals(body)) {
                            ok.incrementAndGet();
                        } else {
                            wrong.add(body + " -> " + answer.status() + " " + new String(answer.body(), StandardCharsets.UTF_8));
                        }
                    }
                } catch (Exception e) {
                    wrong.add("thread " + thread + ": " + e);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            assertThat(worker.join(Duration.ofSeconds(20))).as("worker finished").isTrue();
        }

        assertThat(wrong).isEmpty();
        assertThat(ok.get()).isEqualTo(threads * requestsEach);
        assertThat(server.pendingRequests()).isEqualTo(threads * requestsEach);
        // At most one connection per thread at a time; the slack covers idle expiry (MAX_IDLE) on a slow machine.
        assertThat(server.accepted()).isBetween(1, threads + 5);
        assertThat(client.idleConnections()).isBetween(1, server.accepted());
    }

    private UpstreamHttp.Buffered post(String body) throws Exception {
        return client.post(server.uri("/v1/test"), Map.of(), bytes(body), TIMEOUT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
