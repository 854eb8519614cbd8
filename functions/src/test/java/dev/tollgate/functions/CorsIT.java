package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Browsers: off by default; with {@code tollgate.cors.allowed-origins} set, exactly those origins may call the API,
 * their preflights (sent without the Authorization header) are answered before authentication, and the answers
 * expose Tollgate's headers to the page.
 */
class CorsIT {

    static final String APP = "https://app.example.com";
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static TestServer closed;
    static TestServer open;
    static TestServer.Account account;

    @BeforeAll
    static void start() {
        closed = TestServer.start();
        open = TestServer.start(Map.of("tollgate.cors.allowed-origins", APP + ", https://admin.example.com"));
        account = open.openAccount("5.00");
    }

    @AfterAll
    static void stop() {
        closed.close();
        open.close();
    }

    @Test
    void byDefaultNoOriginIsAllowed() throws Exception {
        HttpResponse<String> preflight = preflight(closed, APP);

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight.statusCode()).isNotEqualTo(200);
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAKey() throws Exception {
        HttpResponse<String> preflight = preflight(open, APP);

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(String.join(",", preflight.headers().allValues("Access-Control-Allow-Methods"))).contains("POST");
        assertThat(String.join(",", preflight.headers().allValues("Access-Control-Allow-Headers")).toLowerCase())
                .contains("authorization").contains("content-type");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void aPreflightFromAnotherOriginGetsNoPermission() throws Exception {
        HttpResponse<String> preflight = preflight(open, "https://evil.example.net");

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void theAnswerToAnAllowedOriginExposesTollgatesHeaders() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(open.apiBase().resolve("/v1/usage"))
                .header("Origin", APP).header("Authorization", "Bearer " + account.key()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(String.join(",", response.headers().allValues("Access-Control-Expose-Headers")).toLowerCase())
                .contains("x-request-id").contains("x-tollgate-balance-usd");
    }

    /** What a browser sends before a JSON POST with a bearer key from another origin. */
    static HttpResponse<String> preflight(TestServer server, String origin) throws IOException, InterruptedException {
        URI chat = server.apiBase().resolve("/v1/chat/completions");
        return CLIENT.send(HttpRequest.newBuilder(chat)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
