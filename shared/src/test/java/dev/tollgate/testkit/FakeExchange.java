package dev.tollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers one recorded request on a {@link FakeConnection} according to the next {@link Behavior}. */
final class FakeExchange {

    private final FakeOpenAiUpstream server;
    private final FakeConnection conn;
    private final RecordedRequest request;
    private final boolean keepAlive;

    FakeExchange(FakeOpenAiUpstream server, FakeConnection conn, RecordedRequest request, boolean keepAlive) {
        this.server = server;
        this.conn = conn;
        this.request = request;
        this.keepAlive = keepAlive;
    }

    void run() throws IOException, InterruptedException {
        String path = request.path();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        boolean post = "POST".equals(request.method());
        if ("GET".equals(request.method()) && path.endsWith("/models")) {
            sendJson(200, OpenAiPayloads.models(), Map.of());
            return;
        }
        boolean chat = post && path.endsWith("/chat/completions");
        boolean embeddings = post && path.endsWith("/embeddings");
        if (!chat && !embeddings) {
            sendJson(404, OpenAiPayloads.error("Unknown request URL: " + request.method() + " " + path,
                    "invalid_request_error", "unknown_url"), Map.of());
            return;
        }
        Behavior b = server.nextBehavior();
        conn.pause(b.delayHeaders());
        if (b.holdBeforeHeaders() != null) {
            conn.hold(b.holdBeforeHeaders());
        }
        if (b.status() != 200 || b.statusBody() != null) {
            String body = b.statusBody() != null ? b.statusBody()
                    : OpenAiPayloads.error("fake upstream error " + b.status(), "server_error", null);
            sendJson(b.status(), body, b.extraHeaders());
            return;
        }
        JsonNode json;
        try {
            json = request.json();
        } catch (RuntimeException e) {
            sendJson(400, OpenAiPayloads.error("We could not parse the JSON body of your request.",
                    "invalid_request_error", null), Map.of());
            return;
        }
        if (embeddings) {
            sendJson(200, OpenAiPayloads.embeddings(json, b.hasUsage()), b.extraHeaders());
        } else if (json.path("stream").asBoolean(false)) {
            stream(json, b);
        } else {
            buffered(json, b);
        }
    }

    private void buffered(JsonNode json, Behavior b) throws IOException {
        if (b.rawBody() != null) {
            sendJson(200, b.rawBody(), b.extraHeaders());
            return;
        }
        String body = OpenAiPayloads.chatCompletion(server.nextCompletionId(), Instant.now().getEpochSecond(),
                model(json), b);
        if (!b.resets()) {
            sendJson(200, body, b.extraHeaders());
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpWire.Out out = conn.out();
        out.head(200, headers("application/json", Map.of("content-length", String.valueOf(bytes.length))));
        out.raw(bytes, 0, bytes.length / 2);
        conn.truncate();
    }

    private void stream(JsonNode json, Behavior b) throws IOException, InterruptedException {
        String id = server.nextCompletionId();
        long created = Instant.now().getEpochSecond();
        String model = model(json);
        boolean includeUsage = json.path("stream_options").path("include_usage").asBoolean(false);
        Map<String, String> extra = new LinkedHashMap<>(b.extraHeaders());
        extra.put("transfer-encoding", "chunked");
        extra.put("cache-control", "no-cache");
        conn.out().head(200, headers("text/event-stream; charset=utf-8", extra));

        List<String> pieces = b.contentPieces().isEmpty() ? List.of("") : b.contentPieces();
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) {
                conn.pause(b.chunkDelay());
            }
            ObjectNode delta = OpenAiPayloads.JSON.createObjectNode();
            if (i == 0) {
                delta.put("role", "assistant");
                if (b.reasoning() != null) {
                    delta.put("reasoning_content", b.reasoning());
                }
            }
            delta.put("content", pieces.get(i));
            event(OpenAiPayloads.chunk(id, created, model, delta, null, includeUsage, b.choiceCount()));
            if (b.eventAfter(i) != null) {
                event(b.eventAfter(i));
            }
            if (b.holdAfter(i) != null) {
                conn.hold(b.holdAfter(i));
            }
            if (b.resetAfter(i)) {
                conn.truncate();
                return;
            }
        }
        if (b.isEndless()) {
            // Ignores max_tokens: generates until the client goes away (its next write then fails).
            ObjectNode more = OpenAiPayloads.JSON.createObjectNode().put("content", " more");
            for (int i = 0; i < Behavior.ENDLESS_LIMIT; i++) {
                event(OpenAiPayloads.chunk(id, created, model, more, null, includeUsage, b.choiceCount()));
            }
        }
        if (b.toolCall() != null) {
            for (ObjectNode delta : OpenAiPayloads.toolCallDeltas(b.toolCall())) {
                event(OpenAiPayloads.chunk(id, created, model, delta, null, includeUsage, b.choiceCount()));
            }
        }
        event(OpenAiPayloads.chunk(id, created, model, OpenAiPayloads.JSON.createObjectNode(),
                b.toolCall() != null ? "tool_calls" : "stop", includeUsage, b.choiceCount()));
        if (includeUsage && b.hasUsage()) {
            event(OpenAiPayloads.usageChunk(id, created, model, b));
        }
        event("[DONE]");
        conn.out().endChunks();
    }

    /** Writes and flushes one SSE event as its own HTTP chunk. */
    private void event(String data) throws IOException {
        conn.out().chunk("data: " + data + "\n\n");
    }

    private void sendJson(int status, String body, Map<String, String> extra) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> all = new LinkedHashMap<>(extra);
        all.put("content-length", String.valueOf(bytes.length));
        HttpWire.Out out = conn.out();
        out.head(status, headers("application/json", all));
        out.raw(bytes, 0, bytes.length);
        out.flush();
    }

    private Map<String, String> headers(String contentType, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        headers.put("x-request-id", "req_fake_" + server.nextRequestNumber());
        headers.putAll(extra);
        if (!keepAlive) {
            headers.put("connection", "close");
        }
        return headers;
    }

    private static String model(JsonNode json) {
        return json.path("model").asText("fake-model");
    }
}
