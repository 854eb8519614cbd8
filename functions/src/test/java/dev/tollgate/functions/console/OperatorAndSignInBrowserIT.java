package dev.tollgate.functions.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.functions.support.ConsoleBrowser;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's console in a real Chromium (open an account, credit it, see health), and the sign-ins and posts
 * that must fail: a wrong, an inference and a revoked key, a wrong admin token, and a form on another origin.
 */
class OperatorAndSignInBrowserIT {

    static TestServer server;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("tollgate.console.session-secret", ConsoleSecurityIT.SECRET));
        browser = ConsoleBrowser.open(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOperatorOpensAnAccountAndCreditsItOnceByReference() {
        browser.go("/console/operator");
        browser.waitForPath("/console/operator/sign-in");
        browser.type("#key", "not-the-token");
        browser.click("#sign-in");
        assertThat(browser.text("#sign-in-error")).contains("not the admin token");
        browser.type("#key", TestServer.ADMIN_TOKEN);
        browser.click("#sign-in");
        browser.waitForPath("/console/operator");

        browser.type("#name", "Acme <b>Corp</b>");
        browser.type("#credit_usd", "5.00");
        browser.type("#reference", "crm-" + System.nanoTime());
        browser.click("#open");
        String key = browser.text("#new-key");
        String accountId = browser.text("#opened-account-id");
        assertThat(key).startsWith("sk-tg-");
        assertThat(Http.get(server.apiBase().resolve("/v1/usage"), key).statusCode()).isEqualTo(200);
        browser.click("#to-account");
        assertThat(browser.text("h1")).contains("Acme <b>Corp</b>");

        String reference = "ticket-" + System.nanoTime();
        for (int i = 0; i < 2; i++) {
            browser.type("#amount_usd", "2.50");
            browser.type("#reference", reference);
            browser.click("#apply");
            browser.find("#done");
        }
        assertThat(browser.text("#done")).contains("nothing changed");
        assertThat(browser.text("#closing")).isEqualTo("$7.500000");
        assertThat(browser.text("#statement")).contains("admin_credit", reference);
        assertThat(browser.text("#balance")).isEqualTo("$7.50");
        assertThat(server.balance(accountId)).isEqualTo(Money.parseDollars("7.50"));
        browser.screenshot("operator-account");

        browser.go("/console/operator?q=acme");
        assertThat(browser.text("#accounts")).contains(accountId, "Acme <b>Corp</b>");
        browser.screenshot("operator-accounts");
        browser.go("/console/operator/health");
        assertThat(browser.text("#open-holds")).isEqualTo("0");
        browser.screenshot("operator-health");
    }

    @Test
    void wrongInferenceAndRevokedKeysCannotSignIn() {
        TestServer.Account account = server.openAccount("1.00");
        String inference = StripeFixture.json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"bot\"}")).get("key").asText();
        var revoked = StripeFixture.json(Http.post(server.apiBase().resolve("/v1/keys"), account.key(),
                "{\"name\":\"old\",\"role\":\"management\"}"));
        Http.delete(server.apiBase().resolve("/v1/keys/" + revoked.get("id").asText()), account.key());

        browser.signIn("sk-tg-" + "y".repeat(40));
        assertThat(browser.text("#sign-in-error")).contains("Incorrect API key");
        browser.screenshot("sign-in-refused");
        browser.signIn(inference);
        assertThat(browser.text("#sign-in-error")).contains("inference key");
        browser.signIn(revoked.get("key").asText());
        assertThat(browser.text("#sign-in-error")).contains("revoked");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
    }

    @Test
    void aFormOnAnotherOriginCannotChangeAnything() throws IOException {
        TestServer.Account account = server.openAccount("1.00");
        browser.signIn(account.key());
        browser.waitForPath("/console");
        String csrf = dev.tollgate.functions.support.ConsoleHttp.csrf(browser.driver().getPageSource());
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Even with a valid token (stolen somehow), a post from another origin is refused.
        String page = "<!DOCTYPE html><html><body><form method=\"post\" action=\"" + server.baseUrl()
                + "/console/keys\"><input type=\"hidden\" name=\"_csrf\" value=\"" + csrf + "\">"
                + "<input type=\"hidden\" name=\"name\" value=\"planted\"><button id=\"go\">Win a prize</button></form></body></html>";
        evil.createContext("/", exchange -> {
            byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        evil.start();
        try {
            browser.driver().get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            browser.click("#go");
            assertThat(browser.text("#refused")).contains("another site");
        } finally {
            evil.stop(0);
        }
        HttpResponse<String> keys = Http.get(server.apiBase().resolve("/v1/keys"), account.key());
        assertThat(keys.body()).doesNotContain("planted");
    }
}
