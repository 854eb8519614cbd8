package dev.tollgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoAlertStore;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alert webhooks to a real local HTTP receiver, stored in DynamoDB Local: signed with the account's secret, retried
 * after a 500 when the injected clock says the retry is due (no sleeps), every attempt logged, and bounded.
 */
class AlertDeliveryIT {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static LocalDynamo dynamo;
    static DynamoAlertStore store;

    record Received(String signature, String body) {
    }

    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    MutableClock clock;
    Alerts alerts;
    AlertDeliveries deliveries;
    ApiKey owner;

    @BeforeAll
    static void startDynamo() {
        dynamo = LocalDynamo.start();
        DynamoTables tables = DynamoTables.withPrefix("alerts-it-");
        tables.createMissing(dynamo.client());
        store = new DynamoAlertStore(dynamo.client(), tables);
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestHeaders().getFirst(AlertSigner.HEADER), body));
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        receiver.start();
        clock = new MutableClock(T0);
        // The first attempt runs on the caller's thread here, so each step is observable at once.
        deliveries = new AlertDeliveries(store, AlertDeliveryIT::post, Runnable::run, clock);
        alerts = new Alerts(store, deliveries, AlertEvents.LOGGING, account -> Money.parseDollars("10.00"), clock, true);
        owner = ApiKey.create(Ids.newId("key"), Ids.newId("acct"), KeySecret.generate(), "owner", KeyRole.MANAGEMENT, T0);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    static int post(String url, Map<String, String> headers, String body) throws IOException {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void aDeliveryAnswered500IsRetriedWhenItsBackoffIsDueSignedAndLogged() {
        Alerts.Updated settings = alerts.update(owner, url(), null, false);
        assertThat(settings.secretShown()).isTrue();
        String secret = settings.settings().secret();
        assertThat(secret).startsWith("whsec_");
        statuses.add(500);

        alerts.raise(owner.accountId(), AlertKind.LOW_BALANCE, null, "The balance is $1.00.", Map.of("balance_usd", "1.00"));

        assertThat(received).hasSize(1);
        Received first = received.getFirst();
        assertThat(AlertSigner.verify(secret, first.signature(), first.body())).isTrue();
        assertThat(AlertSigner.verify("whsec_other", first.signature(), first.body())).isFalse();
        assertThat(AlertSigner.verify(secret, first.signature(), first.body().replace("1.00", "9.00"))).isFalse();
        assertThat(first.signature()).startsWith("t=" + T0.getEpochSecond() + ",v1=");
        assertThat(first.body()).contains("\"type\":\"low_balance\"", "\"account_id\":\"" + owner.accountId() + "\"");
        Delivery pending = alerts.deliveries(owner).getFirst();
        assertThat(pending.state()).isEqualTo("pending");
        assertThat(pending.attempts()).extracting(Delivery.Attempt::status).containsExactly(500);
        assertThat(pending.nextAt()).isEqualTo(T0.plus(Duration.ofSeconds(30)));

        clock.advance(Duration.ofSeconds(29));
        assertThat(deliveries.runDue()).as("not due yet").isZero();
        assertThat(received).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(deliveries.runDue()).isEqualTo(1);

        assertThat(received).hasSize(2);
        assertThat(received.get(1).body()).as("the same body, signed anew").isEqualTo(first.body());
        assertThat(received.get(1).signature()).startsWith("t=" + T0.plusSeconds(30).getEpochSecond() + ",");
        assertThat(AlertSigner.verify(secret, received.get(1).signature(), received.get(1).body())).isTrue();
        Delivery delivered = alerts.deliveries(owner).getFirst();
        assertThat(delivered.state()).isEqualTo("delivered");
        assertThat(delivered.attempts()).extracting(Delivery.Attempt::status).containsExactly(500, 200);
        assertThat(delivered.attempts()).extracting(Delivery.Attempt::at).containsExactly(T0, T0.plusSeconds(30));
        clock.advance(Duration.ofHours(7));
        assertThat(deliveries.runDue()).as("delivered is never sent again").isZero();
        assertThat(alerts.alerts(owner)).extracting(Alert::kind).containsExactly(AlertKind.LOW_BALANCE);
    }

    @Test
    void aReceiverThatKeepsFailingGetsSixAttemptsOnTheBackoffScheduleThenTheDeliveryFails() {
        alerts.update(owner, url(), null, false);
        for (int i = 0; i < 10; i++) {
            statuses.add(503);
        }
        alerts.raise(owner.accountId(), AlertKind.TOPUP_FAILED, "topup_x", "failed", Map.of());
        for (Duration wait : AlertDeliveries.RETRY_AFTER) {
            clock.advance(wait.minusSeconds(1));
            assertThat(deliveries.runDue()).isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(deliveries.runDue()).isEqualTo(1);
        }
        clock.advance(Duration.ofDays(1));
        assertThat(deliveries.runDue()).isZero();

        Delivery failed = alerts.deliveries(owner).getFirst();
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.attempts()).hasSize(AlertDeliveries.MAX_ATTEMPTS).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.error()).isEqualTo("HTTP 503");
        });
        assertThat(received).hasSize(AlertDeliveries.MAX_ATTEMPTS);
    }

    @Test
    void aRotatedSecretSignsTheRetriesAndIsShownOnlyWhenItChanges() {
        String old = alerts.update(owner, url(), null, false).settings().secret();
        statuses.add(500);
        alerts.raise(owner.accountId(), AlertKind.LOW_BALANCE, null, "low", Map.of());
        Alerts.Updated unchanged = alerts.update(owner, null, Money.parseDollars("2.00"), false);
        assertThat(unchanged.secretShown()).isFalse();
        Alerts.Updated rotated = alerts.update(owner, null, null, true);
        assertThat(rotated.secretShown()).isTrue();
        assertThat(rotated.settings().secret()).isNotEqualTo(old);

        clock.advance(Duration.ofSeconds(30));
        deliveries.runDue();

        assertThat(AlertSigner.verify(rotated.settings().secret(), received.get(1).signature(), received.get(1).body())).isTrue();
        assertThat(AlertSigner.verify(old, received.get(1).signature(), received.get(1).body())).isFalse();
    }

    @Test
    void onlyHttpsUrlsAreAcceptedExceptLocalhostWhereAllowedAndNothingChangesOnARefusal() {
        for (String bad : List.of("http://example.com/hook", "ftp://example.com/x", "https://user:pw@example.com/",
                "not a url", "/relative")) {
            assertThatThrownBy(() -> alerts.update(owner, bad, null, false)).as(bad).isInstanceOf(ApiException.class)
                    .hasMessageContaining("url");
        }
        assertThat(store.settings(owner.accountId())).isEmpty();
        Alerts strict = new Alerts(store, deliveries, AlertEvents.LOGGING, a -> Money.ZERO, clock, false);
        assertThatThrownBy(() -> strict.update(owner, url(), null, false)).isInstanceOf(ApiException.class);
        assertThat(alerts.update(owner, "https://example.com/hook", null, false).settings().url())
                .isEqualTo("https://example.com/hook");
        ApiKey inference = ApiKey.create(Ids.newId("key"), owner.accountId(), KeySecret.generate(), "app",
                KeyRole.INFERENCE, T0);
        assertThatThrownBy(() -> alerts.settings(inference)).isInstanceOf(ApiException.class);
    }
}
