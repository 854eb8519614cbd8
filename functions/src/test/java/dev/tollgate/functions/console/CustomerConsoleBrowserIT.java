package dev.tollgate.functions.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.ConsoleBrowser;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.StripeFixture;
import dev.tollgate.functions.support.TestServer;
import dev.tollgate.money.Money;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A customer in a real (headless) Chromium against the real server, DynamoDB Local, the fake upstream and the fake
 * Stripe: signs in with the management key, creates a key with a budget and a model list, spends with it over
 * HTTP, tops up through Checkout and the signed webhook, and revokes the key. Takes the README's screenshots.
 */
class CustomerConsoleBrowserIT {

    static StripeFixture f;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() {
        f = StripeFixture.startForBrowser(Map.of("tollgate.console.session-secret", ConsoleSecurityIT.SECRET));
        browser = ConsoleBrowser.open(f.server.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aCustomerCreatesAKeySpendsWithItTopsUpAndRevokesIt() {
        TestServer.Account account = f.server.openAccount("2.00");
        browser.signIn(account.key());
        browser.waitForPath("/console");
        assertThat(browser.text("#balance")).isEqualTo("$2.00");
        browser.screenshotPhone("overview-phone");
        assertThat(browser.text("#no-spend")).contains("No spend yet", f.server.baseUrl() + "/v1/chat/completions");
        browser.screenshot("overview-empty");

        // A key limited to one model, with a budget.
        browser.go("/console/keys");
        browser.type("#name", "ci-bot");
        browser.type("#budget_usd", "1.00");
        browser.click("input[name=allowed_models][value='gemma3:1b']");
        browser.click("#create");
        String secret = browser.text("#new-key");
        String keyId = browser.text("#new-key-id");
        assertThat(secret).startsWith("sk-tg-");
        browser.screenshot("key-created");

        // Spending with it over HTTP, as a program would.
        Money spent = Money.ZERO;
        List<String> requestIds = new ArrayList<>();
        List<Money> costs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> chat = Http.post(f.server.apiBase().resolve("/v1/chat/completions"), secret,
                    "{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi " + i + "\"}]}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            JsonNode body = StripeFixture.json(chat);
            costs.add(Money.parseDollars(body.at("/usage/cost").asText()));
            spent = spent.plus(costs.getLast());
            requestIds.add(chat.headers().firstValue("x-request-id").orElseThrow());
        }
        HttpResponse<String> otherModel = Http.post(f.server.apiBase().resolve("/v1/chat/completions"), secret,
                "{\"model\":\"qwen3:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(otherModel.statusCode()).isEqualTo(403);
        assertThat(spent.isPositive()).isTrue();

        // Each request in the Requests page with its cost, and its detail one click away.
        browser.go("/console/requests");
        for (int i = 0; i < requestIds.size(); i++) {
            String row = browser.text("tr[data-request-id='" + requestIds.get(i) + "']");
            assertThat(row).contains("ci-bot", "gemma3:1b", dev.tollgate.functions.web.console.Show.exact(costs.get(i)), "ok");
        }
        browser.screenshot("requests");
        browser.click("tr[data-request-id='" + requestIds.getFirst() + "'] a");
        browser.waitForPath("/console/requests/" + requestIds.getFirst());
        assertThat(browser.text("#request-cost")).isEqualTo(dev.tollgate.functions.web.console.Show.exact(costs.getFirst()));
        browser.screenshot("request");
        browser.go("/console/requests?key_id=" + account.keyId());
        browser.find("#no-requests");

        browser.go("/console/keys");
        String row = browser.text("tr[data-key-id='" + keyId + "']");
        assertThat(row).contains("ci-bot", "inference", "gemma3:1b", "active");
        browser.screenshot("keys");
        browser.go("/console");
        browser.find("#spend-chart");
        assertThat(browser.all("#spend-chart rect")).isNotEmpty();
        browser.screenshot("overview");
        Money balance = Money.parseDollars("2.00").minus(spent);
        assertThat(f.server.balance(account.accountId())).isEqualTo(balance);

        // Top up: Checkout (the fake's hosted page), back to the billing page, pending until the signed webhook.
        browser.go("/console/billing");
        browser.type("#amount_usd", "10.00");
        browser.click("#pay");
        browser.until(d -> URI.create(d.getCurrentUrl()).getPath().startsWith("/c/pay/"));
        browser.click("#pay");
        browser.waitForPath("/console/billing");
        assertThat(browser.find("#returned").getAttribute("data-state")).isEqualTo("pending");
        String query = URI.create(browser.driver().getCurrentUrl()).getQuery();
        StripeFixture.TopUp topUp = new StripeFixture.TopUp(param(query, "topup_id"), param(query, "session_id"),
                account.accountId(), "pi_test_console" + System.nanoTime(), "ch_test_console" + System.nanoTime());
        f.pay(topUp, "10.00");
        browser.click("#refresh");
        browser.until(ExpectedConditions.attributeToBe(By.id("returned"), "data-state", "paid"));
        Money after = balance.plus(Money.parseDollars("10.00"));
        assertThat(browser.text("#balance")).isEqualTo(dev.tollgate.functions.web.console.Show.money(after));
        assertThat(browser.text("#topups")).contains(topUp.topupId(), "paid");
        browser.screenshot("billing");

        // The statement, downloaded as CSV, runs from the opening balance through every movement to the balance.
        browser.click("#to-statement");
        browser.waitForPath("/console/billing/statement");
        assertThat(browser.text("#closing")).isEqualTo(dev.tollgate.functions.web.console.Show.exact(after));
        browser.screenshot("statement");
        String csv = download(browser.find("#statement-csv").getAttribute("href"));
        List<List<String>> rows = dev.tollgate.functions.support.CsvRows.parse(csv);
        int amount = rows.getFirst().indexOf("amount_usd");
        int runningBalance = rows.getFirst().indexOf("balance_usd");
        assertThat(rows.get(1).get(1)).isEqualTo("opening_balance");
        assertThat(rows.getLast().get(1)).isEqualTo("closing_balance");
        Money sum = Money.parseDollars(rows.get(1).get(runningBalance));
        for (List<String> movement : rows.subList(2, rows.size() - 1)) {
            sum = sum.plus(Money.parseDollars(movement.get(amount)));
        }
        assertThat(rows.subList(2, rows.size() - 1)).hasSize(1 + 3 + 1); // opening credit, three requests, the top-up
        assertThat(sum).isEqualTo(Money.parseDollars(rows.getLast().get(runningBalance))).isEqualTo(after)
                .isEqualTo(f.server.balance(account.accountId()));

        // The models with prices and a snippet naming this deployment.
        browser.go("/console/models");
        assertThat(browser.text("tr[data-model='gemma3:1b']")).contains("$0.05", "$0.10");
        assertThat(browser.text("#snippet-curl")).contains(f.server.baseUrl() + "/v1/chat/completions");
        browser.screenshot("models");

        // Revoke: the key is refused at once.
        browser.go("/console/keys");
        browser.find("tr[data-key-id='" + keyId + "'] .revoke").click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(browser.text("#done")).contains("revoked");
        assertThat(browser.text("tr[data-key-id='" + keyId + "']")).contains("revoked");
        HttpResponse<String> refused = Http.post(f.server.apiBase().resolve("/v1/chat/completions"), secret,
                "{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("revoked");
    }

    /** Fetches a console URL with the browser's session cookie, as the browser's download would. */
    private static String download(String url) {
        org.openqa.selenium.Cookie session = browser.driver().manage().getCookieNamed("tg_console");
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url))
                    .header("Cookie", "tg_console=" + session.getValue()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String param(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + query);
    }
}
