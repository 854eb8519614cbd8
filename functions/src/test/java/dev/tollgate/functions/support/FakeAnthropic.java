// Wire shapes follow Anthropic's Messages API reference: POST /v1/messages with x-api-key and anthropic-version,
// a message object when buffered, and when streamed the SSE sequence message_start, content_block_start,
// content_block_delta, content_block_stop, message_delta, message_stop (an error event may arrive instead).
package dev.tollgate.functions.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that speaks Anthropic's Messages API from a script: each POST to
 * {@code /v1/messages} takes the next {@link Reply} (a 500 when none is queued) and is recorded first.
 */
public final class FakeAnthropic implements AutoCloseable {

    private final HttpServer server;
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    /** One scripted answer. */
    public record Reply(int status, String contentType, String body) {
        public static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        public static Reply sse(String body) {
            return new Reply(200, "text/event-stream", body);
        }

        public static Reply error(int status, String type) {
            return new Reply(status, "application/json",
                    "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"scripted\"}}");
        }
    }

    /** What a request carried: its headers (lower-case names) and body. */
    public record Recorded(Map<String, String> headers, String body) {
    }

    private FakeAnthropic(HttpServer server) {
        this.server = server;
        server.createContext("/v1/messages", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static FakeAnthropic start() {
        try {
            return new FakeAnthropic(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void enqueue(Reply... scripted) {
        replies.addAll(List.of(scripted));
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        replies.clear();
        requests.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            requests.add(new Recorded(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Reply reply = replies.poll();
            if (reply == null) {
                reply = Reply.error(500, "api_error");
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.contentType().equals("text/event-stream") ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
