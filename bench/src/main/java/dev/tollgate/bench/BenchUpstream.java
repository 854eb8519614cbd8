package dev.tollgate.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The benchmark's upstream: the fastest OpenAI-compatible server we can put on loopback, so the
 * numbers measure Tollgate and not its upstream. Answers every POST to /v1/chat/completions with a fixed
 * completion (usage 11 + 3), buffered or as SSE with {@code chunks} pieces and an optional pause
 * between them. Nothing is recorded: it must run for minutes at full load in constant memory.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.tollgate.bench.BenchUpstream <port> [chunks] [chunkDelayMs]}
 */
public final class BenchUpstream {

    private static final byte[] BUFFERED = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1767225600,"
            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from the bench\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14}}")
            .getBytes(StandardCharsets.UTF_8);

    private BenchUpstream() {
    }

    public static void main(String[] args) throws IOException {
        // Like the model servers it stands in for (Go's net/http, uvicorn, Node set TCP_NODELAY), small SSE
        // writes leave at once: with Nagle's algorithm on, a kept-alive client's delayed ACKs stall them ~40 ms.
        // -Dbench.nodelay=false turns Nagle back on, to check that the gateway's client does not meet that stall.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("bench.nodelay", "true"));
        int port = Integer.parseInt(args[0]);
        int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long delayMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, chunks, delayMs));
        server.start();
        System.out.println("bench upstream on http://127.0.0.1:" + port + "/v1 (" + chunks + " chunks, " + delayMs + " ms apart)");
    }

    private static void handle(HttpExchange exchange, int chunks, long delayMs) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        boolean stream = new String(request, StandardCharsets.UTF_8).contains("\"stream\":true");
        if (!stream) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, BUFFERED.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BUFFERED);
            }
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < chunks; i++) {
                pause(delayMs);
                String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"tok\"}" : "{\"content\":\" tok\"}";
                write(out, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
                        + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}");
            }
            write(out, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
                    + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
            write(out, "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
                    + "\"model\":\"bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":" + chunks
                    + ",\"total_tokens\":" + (11 + chunks) + "}}");
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void write(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
