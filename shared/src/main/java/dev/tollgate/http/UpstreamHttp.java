package dev.tollgate.http;

import dev.tollgate.upstream.UpstreamSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How a provider sends one POST to its upstream. Timeouts surface as
 * {@link java.net.http.HttpConnectTimeoutException} (connect) and {@link java.net.http.HttpTimeoutException}
 * (answer), refused connections as {@link java.net.ConnectException}, everything else as {@link IOException}.
 */
public interface UpstreamHttp {

    /** POSTs {@code body} and reads the whole answer, which must arrive within {@code timeout}. */
    Buffered post(URI uri, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException;

    /**
     * POSTs {@code body} and returns once the response headers arrived (within {@code headersTimeout});
     * the body is then read without a time limit: the caller watches for silence itself.
     */
    Streamed postStreamed(URI uri, Map<String, String> headers, byte[] body, Duration headersTimeout)
            throws IOException, InterruptedException;

    /** A whole response. */
    record Buffered(int status, byte[] body) {
    }

    /**
     * A response whose body is still arriving. Closing {@code body} before its end drops the connection,
     * which is how a stream is cancelled: the upstream sees the peer go away and stops generating.
     */
    record Streamed(int status, InputStream body) {

        /**
         * Runs {@code flush} whenever reading {@code body} is about to wait for the network (Tollgate's own client:
         * before each socket read; the JDK's: before a read with nothing already received): a relay holding frames
         * of a burst sends them before it waits, however the upstream split its events into chunks and reads.
         */
        public static void beforeWaiting(InputStream body, Runnable flush) {
            if (body instanceof Http1Body pooled) {
                pooled.beforeWaiting(flush);
            } else if (body instanceof WaitAwareBody aware) {
                aware.beforeWaiting(flush);
            }
        }

        /**
         * Ends a body whose payload the caller has read to its own end (an SSE stream's {@code [DONE]}): what
         * remains of the HTTP framing (a chunked body's last chunk) is read if it arrives within {@code within},
         * so the connection goes back to the pool for the next request; otherwise, or for a body that cannot
         * be drained, the body is closed as {@link InputStream#close()} would. True if the connection was kept.
         */
        public static boolean release(InputStream body, Duration within) {
            if (body instanceof Http1Body pooled) {
                return pooled.drainWithin(within);
            }
            try {
                body.close();
            } catch (IOException ignored) {
                // closing was all that was asked
            }
            return false;
        }
    }

    /**
     * The client for {@code settings}: plain {@code http://} upstreams (self-hosted models on a private
     * network, the hot path) get {@link Http1Client}, a pooled keep-alive HTTP/1.1 client with no thread
     * hand-offs; TLS upstreams keep the JDK client, which negotiates HTTP/2 and verifies certificates.
     */
    static UpstreamHttp forSettings(UpstreamSettings settings) {
        return "https".equalsIgnoreCase(settings.baseUrl().getScheme())
                ? new JdkUpstreamHttp(settings.connectTimeout())
                : new Http1Client(settings.connectTimeout());
    }
}
