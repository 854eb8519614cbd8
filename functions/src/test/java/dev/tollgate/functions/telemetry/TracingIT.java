package dev.tollgate.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.FakeOtlpCollector;
import dev.tollgate.functions.support.FakeOtlpCollector.Received;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.testkit.Behavior;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code tollgate.tracing.enabled}, spans reach an OTLP/HTTP collector (a real receiver on loopback that
 * decodes the protobuf body): one server span per request and under it one client span per upstream attempt, with
 * the GenAI semantic conventions, and never the prompt, the completion or a key.
 */
class TracingIT {

    private static final String PROMPT = "tell-nobody-this-prompt";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static FakeOtlpCollector collector;
    private static TestServer server;
    private static TestServer.Account account;
    private static URI chat;

    @BeforeAll
    static void start() throws Exception {
        collector = FakeOtlpCollector.start();
        Path overlay = Path.of(TracingIT.class.getResource("/catalog/test-overlay.json").toURI());
        server = TestServer.start(Map.of(
                "tollgate.tracing.enabled", true,
                "tollgate.tracing.endpoint", collector.endpoint().toString(),
                "tollgate.tracing.service-name", "tollgate-under-test",
                "tollgate.catalog-files", List.of(overlay.toString()),
                "tollgate.upstreams.dead.base-url", "http://127.0.0.1:9/v1",
                "tollgate.upstreams.dead.max-retries", "0",
                "tollgate.upstreams.ollama.max-retries", "1"));
        account = server.openAccount("5.00");
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @AfterAll
    static void stop() {
        server.close();
        collector.close();
    }

    @BeforeEach
    void reset() {
        server.upstream().reset();
        server.upstream().setDefault(Behavior.defaults().usage(1000, 500));
        collector.clear();
    }

    @Test
    void aBufferedRequestIsAServerSpanWithOneGenAiClientSpan() throws Exception {
        HttpResponse<String> response = Http.post(chat, account.key(), body("gemma3:1b", false));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        Received root = serverSpan(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(root.service()).isEqualTo("tollgate-under-test");
        assertThat(root.name()).isEqualTo("POST /v1/chat/completions");
        assertThat(root.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(root.attributes()).containsEntry("http.response.status_code", 200L)
                .containsEntry("tollgate.account.id", account.accountId())
                .containsEntry("tollgate.key.id", account.keyId())
                .containsEntry("tollgate.status", "ok");

        List<Received> attempts = clientSpans(root, 1);
        Received attempt = attempts.getFirst();
        assertThat(attempt.name()).isEqualTo("chat gemma3:1b");
        assertThat(attempt.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(attempt.traceId()).isEqualTo(root.traceId());
        assertThat(attempt.attributes())
                .containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.provider.name", "ollama")
                .containsEntry("gen_ai.request.model", "gemma3:1b")
                .containsEntry("gen_ai.response.model", "gemma3:1b")
                .containsEntry("gen_ai.request.max_tokens", 2048L)
                .containsEntry("gen_ai.usage.input_tokens", 1000L)
                .containsEntry("gen_ai.usage.output_tokens", 500L)
                .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", (long) server.upstream().port())
                .containsEntry("tollgate.attempt", 1L)
                .doesNotContainKey("error.type");
        assertNothingSecret();
    }

    @Test
    void aStreamsClientSpanEndsWithItsSettlementAndCarriesItsUsage() throws Exception {
        HttpResponse<InputStream> response = Http.postStreaming(chat, account.key(), body("gemma3:1b", true));
        assertThat(response.statusCode()).isEqualTo(200);
        try (Sse sse = new Sse(response.body())) {
            assertThat(sse.rest().getLast()).isEqualTo("data: [DONE]");
        }

        Received root = serverSpan(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(root.attributes()).containsEntry("tollgate.streamed", true).containsEntry("tollgate.tokens_out", 500L);
        Received attempt = clientSpans(root, 1).getFirst();
        assertThat(attempt.attributes())
                .containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.usage.input_tokens", 1000L)
                .containsEntry("gen_ai.usage.output_tokens", 500L)
                .containsEntry("tollgate.end", "ok");
        // The client span covers the whole stream, so it ends no earlier than the last byte's settlement.
        assertThat(attempt.span().getEndTimeUnixNano()).isLessThanOrEqualTo(root.span().getEndTimeUnixNano());
        assertNothingSecret();
    }

    @Test
    void aRetryIsASecondClientSpanOfTheSameModel() throws Exception {
        server.upstream().enqueue(Behavior.error(503, "{\"error\":{\"message\":\"busy\"}}"));

        HttpResponse<String> response = Http.post(chat, account.key(), body("gemma3:1b", false));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        List<Received> attempts = clientSpans(serverSpan(response.headers().firstValue("x-request-id").orElseThrow()), 2);
        assertThat(attempts.get(0).attributes()).containsEntry("tollgate.attempt", 1L).containsEntry("error.type", "503");
        assertThat(attempts.get(0).span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attempts.get(1).attributes()).containsEntry("tollgate.attempt", 2L)
                .containsEntry("gen_ai.usage.output_tokens", 500L).doesNotContainKey("error.type");
    }

    @Test
    void aFallbackIsAClientSpanPerModelOfTheRoute() throws Exception {
        HttpResponse<String> response = Http.post(chat, account.key(),
                "{\"models\":[\"test/dead\",\"gemma3:1b\"],\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        List<Received> attempts = clientSpans(serverSpan(response.headers().firstValue("x-request-id").orElseThrow()), 2);
        assertThat(attempts.get(0).name()).isEqualTo("chat dead-model");
        assertThat(attempts.get(0).attributes()).containsEntry("tollgate.upstream", "dead")
                .containsEntry("tollgate.fallback", 0L).containsEntry("error.type", "unreachable")
                .containsEntry("server.port", 9L);
        assertThat(attempts.get(1).name()).isEqualTo("chat gemma3:1b");
        assertThat(attempts.get(1).attributes()).containsEntry("tollgate.upstream", "ollama")
                .containsEntry("tollgate.fallback", 1L).doesNotContainKey("error.type");
    }

    @Test
    void aRefusedKeyIsAServerSpanWithoutAttempts() throws Exception {
        HttpResponse<String> response = Http.post(chat, "sk-tg-not-a-real-key", body("gemma3:1b", false));
        assertThat(response.statusCode()).isEqualTo(401);
        Received root = await(() -> collector.spans().stream()
                .filter(s -> Long.valueOf(401).equals(s.attributes().get("http.response.status_code"))).findFirst().orElse(null));
        assertThat(root.attributes()).doesNotContainKey("tollgate.account.id");
        assertThat(collector.spans()).noneMatch(s -> s.parentId().equals(root.spanId()));
        assertNothingSecret();
    }

    private static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
    }

    private static Received serverSpan(String requestId) throws InterruptedException {
        return await(() -> collector.spans().stream()
                .filter(s -> requestId.equals(s.attributes().get("tollgate.request.id"))).findFirst().orElse(null));
    }

    /** The client spans under {@code root}, in start order, once {@code count} have arrived. */
    private static List<Received> clientSpans(Received root, int count) throws InterruptedException {
        List<Received> spans = await(() -> {
            List<Received> children = collector.spans().stream().filter(s -> s.parentId().equals(root.spanId()))
                    .sorted(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano())).toList();
            return children.size() >= count ? children : null;
        });
        assertThat(spans).hasSize(count);
        return spans;
    }

    private static void assertNothingSecret() {
        for (Received span : collector.spans()) {
            assertThat(span.attributes().values().toString()).doesNotContain(PROMPT).doesNotContain(account.key())
                    .doesNotContain(TestServer.ADMIN_TOKEN);
        }
    }

    /** Flushes the exporter and looks again until {@code find} answers, within {@link #WAIT}. */
    private static <T> T await(java.util.function.Supplier<T> find) throws InterruptedException {
        TelemetryFactory.Traces traces = server.context().getBean(TelemetryFactory.Traces.class);
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            traces.flush();
            T found = find.get();
            if (found != null || Instant.now().isAfter(deadline)) {
                assertThat(found).as("spans received: %s", collector.spans()).isNotNull();
                return found;
            }
            Thread.onSpinWait();
        }
    }
}
