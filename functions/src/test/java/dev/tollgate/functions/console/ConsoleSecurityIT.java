package dev.tollgate.functions.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.console.ConsoleSession;
import dev.tollgate.console.SessionCodec;
import dev.tollgate.functions.support.ConsoleHttp;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's security model over plain HTTP, including what a browser would never send: forged and expired
 * cookies, posts without the CSRF token or from another origin, and hostile names.
 */
class ConsoleSecurityIT {

    static final String SECRET = "console-test-session-secret-0123456789abcdef";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("tollgate.console.session-secret", SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ConsoleHttp browser() {
        return new ConsoleHttp(server.baseUrl());
    }

    @Test
    void theRootAndTheConsoleLeadToSignInWithoutASession() {
        ConsoleHttp b = browser();
        HttpResponse<String> root = b.get("/");
        HttpResponse<String> console = b.get("/console");

        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("Location")).hasValue("/console");
        assertThat(console.statusCode()).isEqualTo(303);
        assertThat(console.headers().firstValue("Location")).hasValue("/console/sign-in");
        HttpResponse<String> page = b.get("/console/sign-in");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'", "script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    }

    @Test
    void aManagementKeySignsInWithAStrictHttpOnlyCookieThatHoldsNoSecret() {
        TestServer.Account account = server.openAccount("3.00");
        ConsoleHttp b = browser();

        HttpResponse<String> signedIn = b.signIn(account.key());

        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/console");
        String setCookie = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tg_console="))
                .findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict", "Path=/console").doesNotContain("Secure");
        assertThat(setCookie).doesNotContain(account.key()).doesNotContain(account.key().substring(6, 20));
        HttpResponse<String> overview = b.get("/console");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("$3.00", account.accountId());
    }

    @Test
    void wrongInferenceAndRevokedKeysAreRefusedAtSignInWithAClearMessage() {
        TestServer.Account account = server.openAccount("1.00");
        String inference = createKey(account, "{\"name\":\"bot\",\"role\":\"inference\"}");
        String revokedId = Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"old\",\"role\":\"management\"}").body();
        String revokedKey = field(revokedId, "key");
        Http.delete(server.apiBase().resolve("/v1/keys/" + field(revokedId, "id")), account.key());

        HttpResponse<String> wrong = browser().signIn("sk-tg-" + "x".repeat(40));
        HttpResponse<String> inf = browser().signIn(inference);
        HttpResponse<String> revoked = browser().signIn(revokedKey);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Incorrect API key");
        assertThat(inf.statusCode()).isEqualTo(403);
        assertThat(inf.body()).contains("inference key");
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("revoked");
        assertThat(wrong.body() + inf.body() + revoked.body()).doesNotContain(inference).doesNotContain(revokedKey);
    }

    @Test
    void forgedAndExpiredCookiesLeadToSignIn() {
        TestServer.Account account = server.openAccount("1.00");
        ConsoleHttp b = browser();
        b.signIn(account.key());
        String good = b.cookie("tg_console");
        SessionCodec codec = new SessionCodec(SECRET.getBytes(StandardCharsets.UTF_8));
        ConsoleSession session = codec.decode(good).orElseThrow();
        SessionCodec otherSecret = new SessionCodec("another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8));
        Instant long_ago = Instant.now().minus(Duration.ofHours(9));
        Instant idle = Instant.now().minus(Duration.ofMinutes(31));

        String[] bad = {
            otherSecret.encode(session),
            good.substring(0, good.length() - 3) + "AAA",
            codec.encode(new ConsoleSession(session.kind(), session.accountId(), session.subject(), session.sessionId(),
                    long_ago, Instant.now())),
            codec.encode(new ConsoleSession(session.kind(), session.accountId(), session.subject(), session.sessionId(),
                    idle, idle)),
            codec.encode(new ConsoleSession(session.kind(), "acct_someoneelse0000000", session.subject(),
                    session.sessionId(), Instant.now(), Instant.now())),
        };
        for (String cookie : bad) {
            b.setCookie("tg_console", cookie);
            HttpResponse<String> page = b.get("/console/keys");
            assertThat(page.statusCode()).as(cookie).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/console/sign-in");
        }
        b.setCookie("tg_console", good);
        assertThat(b.get("/console/keys").statusCode()).isEqualTo(200);
    }

    @Test
    void aFormWithoutTheTokenOrFromAnotherOriginChangesNothing() {
        TestServer.Account account = server.openAccount("1.00");
        ConsoleHttp b = browser();
        b.signIn(account.key());
        String token = ConsoleHttp.csrf(b.get("/console/keys").body());

        HttpResponse<String> noToken = b.post("/console/keys", ConsoleHttp.form("name", "a"));
        HttpResponse<String> wrongToken = b.post("/console/keys", ConsoleHttp.form("name", "b", "_csrf", token + "x"));
        HttpResponse<String> foreign = b.post("/console/keys", ConsoleHttp.form("name", "c", "_csrf", token),
                "https://evil.example");
        // Micronaut itself refuses non-local origins to a server on loopback; another local origin reaches our check.
        HttpResponse<String> otherPort = b.post("/console/keys", ConsoleHttp.form("name", "f", "_csrf", token),
                "http://127.0.0.1:1");
        HttpResponse<String> noOrigin = b.post("/console/keys", ConsoleHttp.form("name", "d", "_csrf", token), null);
        HttpResponse<String> good = b.post("/console/keys", ConsoleHttp.form("name", "e", "_csrf", token));

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("security token");
        assertThat(otherPort.statusCode()).isEqualTo(403);
        assertThat(otherPort.body()).contains("another site");
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        String keys = Http.get(server.apiBase().resolve("/v1/keys"), account.key()).body();
        assertThat(keys).contains("\"name\":\"e\"").doesNotContain("\"name\":\"a\"", "\"name\":\"b\"",
                "\"name\":\"c\"", "\"name\":\"d\"",
                "\"name\":\"f\"");
    }

    @Test
    void revokingTheKeyEndsItsSessions() {
        TestServer.Account account = server.openAccount("1.00");
        String other = createKey(account, "{\"name\":\"admin2\",\"role\":\"management\"}");
        ConsoleHttp b = browser();
        b.signIn(account.key());
        assertThat(b.get("/console").statusCode()).isEqualTo(200);

        Http.delete(server.apiBase().resolve("/v1/keys/" + account.keyId()), other);

        HttpResponse<String> after = b.get("/console");
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).hasValue("/console/sign-in");
    }

    @Test
    void hostileKeyNamesAreEscaped() {
        TestServer.Account account = server.openAccount("1.00");
        createKey(account, "{\"name\":\"<script>alert(1)</script>\",\"role\":\"inference\"}");
        ConsoleHttp b = browser();
        b.signIn(account.key());

        String page = b.get("/console/keys").body();

        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
    }

    private String createKey(TestServer.Account account, String body) {
        HttpResponse<String> created = Http.post(server.apiBase().resolve("/v1/keys"), account.key(), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return field(created.body(), "key");
    }

    private static String field(String json, String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(name).asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
