package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.server.HeadDeadlines;
import dev.tollgate.functions.support.RawHttp;
import dev.tollgate.functions.support.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their request head slowly or never ("slowloris"), against the real server with a short head
 * deadline: each gets a 408 in the error envelope and a closed connection, however it drips, and they cannot hold
 * the server. Every wait is a socket read with a timeout, never longer than the deadline itself.
 */
class SlowClientsIT {

    private static final Duration DEADLINE = Duration.ofMillis(500);
    /** Far beyond the deadline, so a pass cannot come from luck, but a bound on a slow machine's scheduling. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String MODELS = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";

    private static TestServer server;
    private static URI base;
    private static String models;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("tollgate.server.head-timeout", DEADLINE.toMillis() + "ms"));
        base = server.baseUrl();
        models = MODELS.replace("\r\n\r\n", "\r\nAuthorization: Bearer " + server.openAccount("1.00").key() + "\r\n\r\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aConnectionThatSendsNothingGets408AndIsClosedAtTheDeadline() {
        long start = System.nanoTime();
        try (RawHttp silent = RawHttp.connect(base)) {
            String answer = silent.readUntilClosed(PATIENCE);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertIs408ThenClosed(answer);
            assertThat(waited).as("not before the deadline").isGreaterThanOrEqualTo(DEADLINE.minusMillis(50));
        }
    }

    @Test
    void headersDrippedOneByteAtATimeAreCutAtTheDeadlineCountedFromTheFirstByte() {
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "X-Padding: " + "p".repeat(200) + "\r\n";
        long start = System.nanoTime();
        try (RawHttp drip = RawHttp.connect(base)) {
            String answer = null;
            for (int i = 0; i < head.length() && answer == null; i++) {
                if (!drip.trySend(head.substring(i, i + 1))) {
                    answer = drip.readUntilClosed(PATIENCE);
                    break;
                }
                // Each gap is a fifth of the deadline: an idle timeout reset by every byte would never fire.
                answer = drip.readUntilClosed(DEADLINE.dividedBy(5));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut long before the head was complete")
                    .isLessThan(PATIENCE);
            assertIs408ThenClosed(answer);
        }
    }

    @Test
    void twoHundredSlowConnectionsAreAllClosedAndTheServerStillAnswers() {
        HeadDeadlines deadlines = server.context().getBean(HeadDeadlines.class);
        long closedBefore = deadlines.closedForSlowHeads();
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                slow.add(RawHttp.connect(base).send("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Slow: "));
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (RawHttp connection : slow) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                assertIs408ThenClosed(connection.readUntilClosed(left));
            }
        } finally {
            slow.forEach(RawHttp::close);
        }
        assertThat(deadlines.closedForSlowHeads() - closedBefore).isGreaterThanOrEqualTo(200);
        try (RawHttp quick = RawHttp.connect(base)) {
            assertThat(quick.send(models).readResponse(PATIENCE).status()).isEqualTo(200);
        }
    }

    @Test
    void aKeptAliveConnectionMayWaitLongerThanTheDeadlineBetweenRequests() {
        try (RawHttp keptAlive = RawHttp.connect(base)) {
            assertThat(keptAlive.send(models).readResponse(PATIENCE).status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                // three waits of half the deadline: longer than the deadline in all, and the server stays quiet
                assertThat(keptAlive.readUntilClosed(DEADLINE.dividedBy(2))).as("still open, nothing sent").isNull();
            }
            assertThat(keptAlive.send(models).readResponse(PATIENCE).status()).isEqualTo(200);
        }
    }

    @Test
    void pastTheBoundOnIncompleteHeadsTheLongestWaitingConnectionIsClosedFirst() {
        try (TestServer bounded = TestServer.start(Map.of("tollgate.server.head-timeout", "60s",
                "tollgate.server.max-pending-heads", 3))) {
            List<RawHttp> silent = new ArrayList<>();
            try {
                HeadDeadlines deadlines = bounded.context().getBean(HeadDeadlines.class);
                for (int i = 1; i <= 3; i++) {
                    silent.add(RawHttp.connect(bounded.baseUrl()));
                    awaitPendingHeads(deadlines, i); // one at a time, so the server saw them in this order
                }
                silent.add(RawHttp.connect(bounded.baseUrl()));
                // the head deadline is a minute away: only the bound can close the first connection now
                assertIs408ThenClosed(silent.getFirst().readUntilClosed(PATIENCE));
                assertThat(silent.get(1).readUntilClosed(Duration.ofMillis(100))).as("the others stay").isNull();
                assertThat(silent.getLast().send(MODELS).readResponse(PATIENCE).status()).as("answered (no key: 401)")
                        .isEqualTo(401);
            } finally {
                silent.forEach(RawHttp::close);
            }
        }
    }

    private static void awaitPendingHeads(HeadDeadlines deadlines, int expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (deadlines.pendingHeads() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        assertThat(deadlines.pendingHeads()).isEqualTo(expected);
    }

    private static void assertIs408ThenClosed(String answer) {
        assertThat(answer).as("the server answered and closed the connection").isNotNull();
        assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
        JsonNode error;
        try {
            error = ApiCalls.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
        } catch (java.io.IOException e) {
            throw new AssertionError("not the error envelope: " + answer, e);
        }
        assertThat(error.get("message").asText()).contains("did not arrive in time");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("code")).isTrue();
        assertThat(error.has("param")).isTrue();
    }
}
