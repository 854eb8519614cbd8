// Wire shapes follow the Bedrock Runtime API reference: POST /model/{modelId}/converse answers a Converse JSON
// response; POST /model/{modelId}/converse-stream answers application/vnd.amazon.eventstream frames.
package dev.tollgate.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.testkit.EventStreamFrames;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 standing in for Bedrock Runtime's endpoint (the provider's base URL points here,
 * as the SDK's endpoint override would). Each POST takes the next scripted {@link Reply}; a 500 when none is queued.
 */
public final class FakeBedrock implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    /** One scripted answer: a status and JSON body, or a stream of events encoded as event-stream frames. */
    public record Reply(int status, String json, String events) {
        public static Reply converse(String json) {
            return new Reply(200, json, null);
        }

        /** {@code events}: a JSON array as {@link EventStreamFrames} reads it. */
        public static Reply stream(String events) {
            return new Reply(200, null, events);
        }

        public static Reply error(int status, String message) {
            return new Reply(status, "{\"message\":\"" + message + "\"}", null);
        }
    }

    /** The path, headers (lower-case names) and body of one request. */
    public record Recorded(String path, Map<String, String> headers, String body) {
    }

    private FakeBedrock(HttpServer server) {
        this.server = server;
        server.createContext("/model/", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static FakeBedrock start() {
        try {
            return new FakeBedrock(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
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
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            requests.add(new Recorded(exchange.getRequestURI().getRawPath(), headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Reply reply = replies.poll();
            if (reply == null) {
                reply = Reply.error(500, "nothing scripted");
            }
            byte[] body;
            if (reply.events() != null) {
                JsonNode script = JSON.readTree(reply.events());
                body = EventStreamFrames.encode(script);
                exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
            } else {
                body = reply.json().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(reply.status(), body.length);
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
