package dev.tollgate.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 client for plain-HTTP upstreams: blocking sockets on the caller's (virtual) thread and
 * a pool of keep-alive connections, so a request costs one write and the reads of its answer, with no
 * selector thread, no executor hand-off and no future chain (the JDK client's per-request machinery was
 * the largest single item in the gateway's CPU profile, see docs/PERFORMANCE.md).
 *
 * <p>Idle connections are kept for {@link #MAX_IDLE}, shorter than the usual server keep-alive timeouts
 * (5 s for uvicorn/vLLM, Node and llama.cpp's server), so a pooled connection is rarely one the server is
 * just closing. If it is (the connection fails at once, before any byte of an answer: the server closed it
 * while idle and never read the request), the request is sent again on another connection.
 */
public final class Http1Client implements UpstreamHttp {

    static final Duration MAX_IDLE = Duration.ofSeconds(2);
    /**
     * A server that closed an idle connection answers our request on it with a reset or an end of stream at
     * once; a connection that fails later was probably read by a server that then died mid-work, and sending
     * the request again could run the same generation twice, so that failure is reported instead.
     */
    static final Duration STALE_WITHIN = Duration.ofSeconds(1);
    private static final int MAX_IDLE_CONNECTIONS = 256;
    private static final int MAX_BUFFERED_BODY = 256 * 1024 * 1024;
    /** Bodies up to this long are read into one array of their Content-Length. */
    static final int EXACT_UP_TO = 1024 * 1024;

    private final Duration connectTimeout;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    public Http1Client(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Buffered post(URI uri, Map<String, String> headers, byte[] body, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Http1Body response = exchange(uri, headers, body, deadline);
        try (response) {
            return new Buffered(response.status(), readAll(response));
        }
    }

    @Override
    public Streamed postStreamed(URI uri, Map<String, String> headers, byte[] body, Duration headersTimeout)
            throws IOException {
        Http1Body response = exchange(uri, headers, body, System.nanoTime() + headersTimeout.toNanos());
        if (response.status() / 100 == 2) {
            response.withoutDeadline();   // an error body stays under the deadline: it is read before returning
        }
        return new Streamed(response.status(), response);
    }

    /** Connections currently idle in the pool, over all addresses (for tests). */
    int idleConnections() {
        return pools.values().stream().mapToInt(pool -> pool.size.get()).sum();
    }

    private Http1Body exchange(URI uri, Map<String, String> headers, byte[] body, long deadline) throws IOException {
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        Pool pool = pools.computeIfAbsent(host + ':' + port, address -> new Pool());
        byte[] request = Http1Connection.request(uri, headers, body);
        while (true) {
            Http1Connection connection = pool.take();
            boolean reused = connection != null;
            if (!reused) {
                connection = Http1Connection.open(host, port, connectTimeout, deadline);
            }
            connection.deadline(deadline);
            long sent = System.nanoTime();
            try {
                connection.send(request);
                Http1Head head = connection.readHead();
                return Http1Body.of(connection, head, pool::put);
            } catch (Http1Connection.ClosedBeforeAnswer e) {
                connection.close();
                if (!reused || System.nanoTime() - sent > STALE_WITHIN.toNanos()) {
                    throw e;
                }
                // A stale keep-alive connection: send again on a fresh one.
            } catch (IOException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
    }

    private static byte[] readAll(Http1Body in) throws IOException {
        long length = in.framedLength();
        if (length >= 0 && length <= EXACT_UP_TO) {
            // One array of the length the framing gives: readNBytes starts with a 16 KB one, for an answer of a few
            // hundred bytes on every buffered request. Only for small lengths: a larger one is believed no further
            // than the bytes that arrive, so an upstream announcing 256 MB and stalling costs nothing up front.
            byte[] body = new byte[(int) length];
            if (in.readNBytes(body, 0, body.length) < body.length) {
                throw new IOException("upstream answer shorter than its Content-Length");
            }
            return body;
        }
        byte[] body = in.readNBytes(MAX_BUFFERED_BODY + 1);
        if (body.length > MAX_BUFFERED_BODY) {
            throw new IOException("upstream answer larger than " + MAX_BUFFERED_BODY + " bytes");
        }
        return body;
    }

    /** Idle keep-alive connections to one address, most recently used first. */
    static final class Pool {
        private final ConcurrentLinkedDeque<Http1Connection> idle = new ConcurrentLinkedDeque<>();
        private final AtomicInteger size = new AtomicInteger();

        Http1Connection take() {
            Http1Connection connection;
            while ((connection = idle.pollFirst()) != null) {
                size.decrementAndGet();
                if (connection.reusable(MAX_IDLE)) {
                    return connection;
                }
                connection.close();
            }
            return null;
        }

        void put(Http1Connection connection) {
            if (size.incrementAndGet() > MAX_IDLE_CONNECTIONS) {
                size.decrementAndGet();
                connection.close();
                return;
            }
            connection.idleNow();
            idle.offerFirst(connection);
        }
    }

    static String ascii(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
