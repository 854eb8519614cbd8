package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.server.SmallBodyAggregation;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.RawHttp;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.RecordedRequest;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests as clients frame them on the wire, through the real server: head and body in separate writes (as
 * httpx sends them; SmallBodyAggregator joins them), bodies above the joining limit (Micronaut's own streamed
 * path), and bodies over the 16 MiB limit (400, nothing charged, nothing sent upstream) however they are framed:
 * Content-Length, chunked or gzip. Broken framing (a Content-Length that is no number, a body that does not
 * decompress) is a 400 too, never a 500 or a connection closed without an answer.
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

    @Test
    void aBodyBetweenTenAndSixteenMebibytesIsServedNotRefusedByMicronautsBufferLimit() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        String blob = "m".repeat(12 << 20); // over Micronaut's default max-request-buffer-size (10 MiB)
        HttpResponse<String> response = Http.post(chat, account.key(), "{\"model\":\"gemma3:1b\",\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"big\"}],\"metadata\":{\"blob\":\"" + blob + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        RecordedRequest upstream = server.upstream().takeRequest(Duration.ofSeconds(5));
        assertThat(JSON.readTree(upstream.body()).at("/metadata/blob").asText()).hasSize(12 << 20);
    }

    @Test
    void aChunkedBodyOverTheLimitIsA400AndTheConnectionCloses() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        try (RawHttp raw = RawHttp.connect(server.baseUrl())) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + account.key()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("100000\r\n" + "c".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 17 && raw.trySend(new String(chunk, StandardCharsets.US_ASCII)); i++) {
                // 17 chunks of 1 MiB; the server may stop reading once it has answered
            }
            String answer = raw.readUntilClosed(Duration.ofSeconds(20));
            assertTooLarge(answer);
        }
        assertThat(server.upstream().requests()).isEmpty();
    }

    @Test
    void aGzipBodyThatInflatesPastTheLimitIsA400() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write("{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] zeros = "0".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros); // 64 MiB inflated from about 64 KiB
            }
        }
        try (RawHttp raw = RawHttp.connect(server.baseUrl())) {
            raw.send(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + account.key()
                    + "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: "
                    + compressed.size() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.send(compressed.toByteArray());
            assertTooLarge(raw.readUntilClosed(Duration.ofSeconds(20)));
        }
        assertThat(server.balance(account.accountId())).isEqualTo(Money.parseDollars("1.00"));
    }

    @Test
    void aGzipBodyThatIsNotGzipIsA400NotA500() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        try (RawHttp raw = RawHttp.connect(server.baseUrl())) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + account.key()
                    + "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 13\r\n"
                    + "Connection: close\r\n\r\n{\"model\":\"x\"}");
            String answer = raw.readUntilClosed(Duration.ofSeconds(10));
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            assertThat(error(answer).get("message").asText()).contains("could not be decompressed");
        }
    }

    @Test
    void aContentLengthThatIsNoNumberIsA400AndTheConnectionCloses() throws Exception {
        try (RawHttp raw = RawHttp.connect(server.baseUrl())) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}");
            String answer = raw.readUntilClosed(Duration.ofSeconds(10));
            assertThat(answer).as("answered, then closed").isNotNull().startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("connection: close");
            assertThat(error(answer).get("message").asText()).contains("Content-Length");
        }
    }

    @Test
    void aContentLengthOverTheLimitIsRefusedBeforeTheBodyAndTheConnectionCloses() throws Exception {
        TestServer.Account account = server.openAccount("1.00");
        try (RawHttp raw = RawHttp.connect(server.baseUrl())) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + account.key()
                    + "\r\nContent-Length: 17000000\r\n\r\n{\"model\"");
            // the rest of the body never comes: the answer must not wait for it, nor the connection stay open
            assertTooLarge(raw.readUntilClosed(Duration.ofSeconds(20)));
        }
    }

    private static void assertTooLarge(String answer) throws IOException {
        assertThat(answer).as("answered, then closed").isNotNull().startsWith("HTTP/1.1 400 ");
        JsonNode error = error(answer);
        assertThat(error.get("code").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).contains("larger than Tollgate's limit of 16777216 bytes");
    }

    private static JsonNode error(String rawResponse) throws IOException {
        return JSON.readTree(rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4)).get("error");
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
