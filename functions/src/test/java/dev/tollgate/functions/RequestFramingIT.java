package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.server.SmallBodyAggregation;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.RecordedRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests as clients frame them on the wire, through the real server: head and body in separate writes (as
 * httpx sends them; SmallBodyAggregator joins them), bodies above the joining limit (Micronaut's own streamed
 * path), and bodies over the 16 MiB limit (400, nothing charged, nothing sent upstream).
 */
class RequestFramingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static URI chat;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        chat = server.apiBase().resolve("/v1/chat/completions");
    }

    @BeforeEach
    void forgetEarlierRequests() {
        server.upstream().clearRequests();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void headAndBodyInSeparateWritesAreOneRequestAndTheUpstreamGetsTheWholeBody() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        SmallBodyAggregation aggregation = server.context().getBean(SmallBodyAggregation.class);
        long joinedBefore = aggregation.joinedRequests();
        String body = "{\"model\":\"gemma3:1b\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"split\"}],"
                + "\"metadata\":{\"trace\":\"" + "t".repeat(3000) + "\"}}";
        try (Socket socket = new Socket(chat.getHost(), chat.getPort())) {
            socket.setTcpNoDelay(true); // each write leaves as its own segment
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + account.key()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            out.write(bytes, 0, 100);
            out.flush();
            out.write(bytes, 100, bytes.length - 100);
            out.flush();
            String response = readAll(socket);
            assertThat(response).startsWith("HTTP/1.1 200");
            assertThat(response).contains("\"object\":\"chat.completion\"");
        }
        assertThat(aggregation.joinedRequests()).as("the server's pipeline joined the body to its head")
                .isGreaterThan(joinedBefore);
        RecordedRequest upstream = server.upstream().takeRequest(Duration.ofSeconds(5));
        assertThat(JSON.readTree(upstream.body()).at("/metadata/trace").asText()).hasSize(3000);
    }

    @Test
    void aBodyAboveTheJoiningLimitTakesMicronautsStreamedPathAndArrivesWhole() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        String blob = "b".repeat(200_000); // > 64 KiB; an unknown field, passed through untouched and not tokenized
        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"gemma3:1b\",\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"big\"}],\"metadata\":{\"blob\":\"" + blob + "\"}}");
        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = server.upstream().takeRequest(Duration.ofSeconds(5));
        assertThat(JSON.readTree(upstream.body()).at("/metadata/blob").asText()).isEqualTo(blob);
    }

    @Test
    void aBodyOverTheSixteenMebibyteLimitIsA400ThatChargesNothingAndReachesNoUpstream() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        Money before = server.balance(account.accountId());
        String huge = "{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "h".repeat(17 << 20) + "\"}]}";
        HttpResponse<String> response = Http.post(chat, account.key(), huge);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).contains("larger than Tollgate's limit of 16777216 bytes");
        assertThat(server.balance(account.accountId())).isEqualTo(before);
        assertThat(server.ledger(account.accountId())).hasSize(1); // the opening credit only
        // A buffered answer comes after its upstream call, so an upstream request, had there been one, is recorded.
        assertThat(server.upstream().requests()).as("nothing was sent upstream").isEmpty();
    }

    private static String readAll(Socket socket) throws IOException {
        StringBuilder all = new StringBuilder();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            all.append(line).append('\n');
        }
        return all.toString();
    }
}
