package dev.tollgate.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.chat.UpstreamRouter;
import dev.tollgate.functions.support.FakeOtlpCollector;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.functions.support.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tracing is off unless enabled: with a collector configured but {@code tollgate.tracing.enabled} unset, no SDK and
 * no exporter exist, and requests (buffered, streamed, retried) export nothing.
 */
class TracingOffIT {

    private static FakeOtlpCollector collector;
    private static TestServer server;

    @BeforeAll
    static void start() {
        collector = FakeOtlpCollector.start();
        server = TestServer.start(Map.of("tollgate.tracing.endpoint", collector.endpoint().toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
        collector.close();
    }

    @Test
    void noExporterIsBuiltAndNothingIsExported() throws Exception {
        TelemetryFactory.Traces traces = server.context().getBean(TelemetryFactory.Traces.class);
        assertThat(traces.sdk()).isNull();
        assertThat(server.context().getBean(ServerTraces.class)).isSameAs(ServerTraces.OFF);
        assertThat(server.context().findBean(OtelTraces.class)).isEmpty();
        assertThat(server.context().getBean(UpstreamRouter.class)).isNotNull();

        TestServer.Account account = server.openAccount("1.00");
        URI chat = server.apiBase().resolve("/v1/chat/completions");
        String hello = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";
        assertThat(Http.post(chat, account.key(), "{\"model\":\"gemma3:1b\"," + hello + "}").statusCode()).isEqualTo(200);
        HttpResponse<InputStream> stream = Http.postStreaming(chat, account.key(),
                "{\"model\":\"gemma3:1b\",\"stream\":true," + hello + "}");
        try (Sse sse = new Sse(stream.body())) {
            assertThat(sse.rest().getLast()).isEqualTo("data: [DONE]");
        }
        assertThat(Http.post(chat, "sk-tg-unknown", "{}").statusCode()).isEqualTo(401);

        traces.flush();
        assertThat(collector.exports()).isZero();
    }
}
