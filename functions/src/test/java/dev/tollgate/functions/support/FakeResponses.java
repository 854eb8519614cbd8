// Wire shapes follow OpenAI's Responses API reference: POST /v1/responses with a Bearer key, a response object when
// buffered, and when streamed the SSE sequence response.created, response.output_item.added,
// response.output_text.delta (and reasoning / function-call argument deltas), ..., response.completed with usage.
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 that speaks OpenAI's Responses API from a script: each POST to
 * {@code /v1/responses} takes the next {@link Reply} (a 500 when none is queued) and is recorded first. An
 * {@link Reply#endless()} stream ignores {@code max_output_tokens} and writes text deltas until the client hangs up.
 */
public final class FakeResponses implements AutoCloseable {

    private final HttpServer server;
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hungUp = new CountDownLatch(1);

    /** One scripted answer; {@code body} null means the endless stream. */
    public record Reply(int status, String contentType, String body) {
        public static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        public static Reply sse(String body) {
            return new Reply(200, "text/event-stream", body);
        }

        public static Reply endless() {
            return new Reply(200, "text/event-stream", null);
        }

        public static Reply error(int status) {
            return new Reply(status, "application/json",
                    "{\"error\":{\"message\":\"scripted\",\"type\":\"server_error\",\"code\":null,\"param\":null}}");
        }
    }

    private FakeResponses(HttpServer server) {
        this.server = server;
        server.createContext("/v1/responses", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static FakeResponses start() {
        try {
            return new FakeResponses(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OpenAI-style base URL, ending in {@code /v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public void enqueue(Reply... scripted) {
        replies.addAll(List.of(scripted));
    }

    /** The request bodies, in arrival order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        replies.clear();
        requests.clear();
        hungUp = new CountDownLatch(1);
    }

    /** Whether the client of an endless stream hung up within {@code timeout}. */
    public boolean awaitHangUp(Duration timeout) throws InterruptedException {
        return hungUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One SSE event as the Responses API writes it. */
    public static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    public static String created(String id) {
        return event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"" + id
                + "\",\"object\":\"response\",\"created_at\":1765000000,\"status\":\"in_progress\",\"model\":\"gpt-test\","
                + "\"output\":[],\"usage\":null}}");
    }

    public static String text(String delta) {
        return event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\","
                + "\"output_index\":0,\"content_index\":0,\"delta\":\"" + delta + "\"}");
    }

    /** {@code response.completed} with {@code usage} (a JSON object, or {@code null} for none). */
    public static String completed(String id, String usage) {
        return event("response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"" + id
                + "\",\"object\":\"response\",\"created_at\":1765000000,\"status\":\"completed\",\"model\":\"gpt-test\","
                + "\"output\":[],\"usage\":" + usage + "}}");
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Reply reply = replies.poll();
            if (reply == null) {
                reply = Reply.error(500);
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            if (reply.body() == null) {
                endless(exchange);
                return;
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), reply.contentType().equals("text/event-stream") ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void endless(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            out.write(created("resp_endless").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 100_000; i++) { // bounded, so a broken test cannot spin forever
                out.write(text(i == 0 ? "Hello" : " more").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException clientGone) {
            hungUp.countDown();
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // the client is gone
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
