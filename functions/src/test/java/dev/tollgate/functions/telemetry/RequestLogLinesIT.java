package dev.tollgate.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.testkit.Behavior;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per finished {@code /v1} request, read from what the application really logs (every event of the
 * test run, laid out by {@link JsonLayout}): its fields for a buffered, a streamed, a failed and a refused request,
 * and no secret anywhere in the log (API key, admin token, Stripe key, an upstream's key), through every path.
 */
class RequestLogLinesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPSTREAM_KEY = "sk-upstream-secret-do-not-log";
    private static final Logger ROOT = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private static final ListAppender<ILoggingEvent> CAPTURED = new ListAppender<>();
    private static StripeFixture fixture;
    private static TestServer server;
    private static TestServer.Account account;
    private static URI chat;

    @BeforeAll
    static void start() {
        CAPTURED.setContext(ROOT.getLoggerContext());
        CAPTURED.start();
        ROOT.addAppender(CAPTURED);
        fixture = StripeFixture.start(Map.of(
                "tollgate.upstreams.ollama.api-key", UPSTREAM_KEY,
                "tollgate.upstreams.ollama.max-retries", "0"));
        server = fixture.server;
        account = server.openAccount("5.00");
        chat = server.apiBase().resolve("/v1/chat/completions");
        server.upstream().setDefault(Behavior.defaults().usage(1000, 500));
    }

    @AfterAll
    static void stop() {
        ROOT.detachAppender(CAPTURED);
        CAPTURED.stop();
        fixture.close();
    }

    @Test
    void everyPathLogsOneLineWithItsFieldsAndNoSecretAnywhere() throws Exception {
        String hello = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";
        HttpResponse<String> buffered = Http.post(chat, account.key(), "{\"model\":\"gemma3:1b\"," + hello + "}");
        assertThat(buffered.statusCode()).isEqualTo(200);
        HttpResponse<InputStream> streamed = Http.postStreaming(chat, account.key(),
                "{\"model\":\"gemma3:1b\",\"stream\":true," + hello + "}");
        try (Sse sse = new Sse(streamed.body())) {
            assertThat(sse.rest().getLast()).isEqualTo("data: [DONE]");
        }
        server.upstream().enqueue(Behavior.error(500, "{\"error\":{\"message\":\"boom\"}}"));
        HttpResponse<String> failed = Http.post(chat, account.key(), "{\"model\":\"gemma3:1b\"," + hello + "}");
        assertThat(failed.statusCode()).isEqualTo(502);
        HttpResponse<String> refused = Http.post(chat, account.key().substring(0, account.key().length() - 2) + "xx",
                "{\"model\":\"gemma3:1b\"," + hello + "}");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Http.post(chat, account.key(), "{not json").statusCode()).isEqualTo(400);
        assertThat(Http.post(server.baseUrl().resolve("/admin/accounts"), "wrong-" + TestServer.ADMIN_TOKEN, "{}")
                .statusCode()).isEqualTo(401);
        assertThat(Http.post(server.baseUrl().resolve("/admin/accounts"), TestServer.ADMIN_TOKEN,
                "{\"name\":\"logged\",\"credit_usd\":\"1.00\"}").statusCode()).isLessThan(300);
        fixture.paidTopUp(account, "5.00");

        JsonNode ok = line(buffered.headers().firstValue("x-request-id").orElseThrow());
        assertThat(ok.path("logger").asText()).isEqualTo("tollgate.request");
        assertThat(ok.path("account_id").asText()).isEqualTo(account.accountId());
        assertThat(ok.path("key_id").asText()).isEqualTo(account.keyId());
        assertThat(ok.path("endpoint").asText()).isEqualTo("POST /v1/chat/completions");
        assertThat(ok.path("model").asText()).isEqualTo("gemma3:1b");
        assertThat(ok.path("http_status").asInt()).isEqualTo(200);
        assertThat(ok.path("ended").asText()).isEqualTo("ok");
        assertThat(ok.path("streamed").asBoolean()).isFalse();
        assertThat(ok.path("tokens_in").asLong()).isEqualTo(1000);
        assertThat(ok.path("tokens_out").asLong()).isEqualTo(500);
        // gemma3:1b: 1000 × $0.05 + 500 × $0.10 per million = 100 µ$.
        assertThat(ok.path("cost_micros").asLong()).isEqualTo(100);
        assertThat(ok.path("charged_micros").asLong()).isEqualTo(100);
        assertThat(ok.path("latency_ms").isIntegralNumber()).isTrue();

        JsonNode stream = line(streamed.headers().firstValue("x-request-id").orElseThrow());
        assertThat(stream.path("streamed").asBoolean()).isTrue();
        assertThat(stream.path("http_status").asInt()).isEqualTo(200);
        assertThat(stream.path("ended").asText()).isEqualTo("ok");
        assertThat(stream.path("tokens_out").asLong()).isEqualTo(500);
        assertThat(stream.path("charged_micros").asLong()).isEqualTo(100);

        JsonNode upstreamError = line(failed.headers().firstValue("x-request-id").orElseThrow());
        assertThat(upstreamError.path("http_status").asInt()).isEqualTo(502);
        assertThat(upstreamError.path("ended").asText()).isEqualTo("upstream_error");
        assertThat(upstreamError.path("charged_micros").asLong()).isZero();

        JsonNode unauthorized = await(() -> lines().stream()
                .filter(l -> l.path("http_status").asInt() == 401).findFirst().orElse(null));
        assertThat(unauthorized.path("endpoint").asText()).isEqualTo("POST /v1/chat/completions");
        assertThat(unauthorized.path("account_id").isNull()).isTrue();

        String everything = String.join("", rendered());
        assertThat(everything).contains("tollgate.request")
                .doesNotContain(account.key())
                .doesNotContain(account.key().substring(0, account.key().length() - 2) + "xx")
                .doesNotContain(TestServer.ADMIN_TOKEN)
                .doesNotContain(StripeFixture.API_KEY)
                .doesNotContain(UPSTREAM_KEY);
    }

    /** The one request line of {@code requestId}, once written (a stream's comes when it settles). */
    private static JsonNode line(String requestId) throws InterruptedException {
        JsonNode found = await(() -> lines().stream().filter(l -> requestId.equals(l.path("request_id").asText(null)))
                .findFirst().orElse(null));
        assertThat(lines().stream().filter(l -> requestId.equals(l.path("request_id").asText(null)))).hasSize(1);
        return found;
    }

    private static List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : rendered()) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node.path("logger").asText().equals("tollgate.request")) {
                    lines.add(node);
                }
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    private static List<String> rendered() {
        JsonLayout layout = new JsonLayout();
        List<ILoggingEvent> events;
        synchronized (CAPTURED) {
            events = List.copyOf(CAPTURED.list);
        }
        return events.stream().map(layout::doLayout).toList();
    }

    private static <T> T await(java.util.function.Supplier<T> find) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        T found;
        while ((found = find.get()) == null && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertThat(found).as("request lines: %s", lines()).isNotNull();
        return found;
    }
}
