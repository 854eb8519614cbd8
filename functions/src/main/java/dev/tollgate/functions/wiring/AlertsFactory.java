package dev.tollgate.functions.wiring;

import com.stripe.StripeClient;
import dev.tollgate.alerts.AlertDeliveries;
import dev.tollgate.alerts.AlertEvents;
import dev.tollgate.alerts.AlertWatch;
import dev.tollgate.alerts.Alerts;
import dev.tollgate.alerts.WebhookPoster;
import dev.tollgate.autotopup.AutoTopUpSettings;
import dev.tollgate.autotopup.AutoTopUps;
import dev.tollgate.autotopup.OffSessionPayments;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.SettlementObserver;
import dev.tollgate.functions.config.StripeConfig;
import dev.tollgate.functions.config.TollgateConfig;
import dev.tollgate.functions.lambda.FunctionRole;
import dev.tollgate.functions.stripe.StripeOffSessionPayments;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoAlertStore;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.store.dynamo.DynamoTopUpStore;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Alerts and auto top-up: their store, the webhook sender, the settlement observers and the use cases. */
@Factory
public class AlertsFactory {

    @Singleton
    DynamoAlertStore alertStore(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoAlertStore(dynamo, tables);
    }

    /** Alert checks, deliveries and auto top-up starts run here, never on a request's thread. */
    @Singleton
    @Named("alerts")
    @Bean(preDestroy = "shutdown")
    ExecutorService alertsExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tollgate-alerts-", 0).factory());
    }

    /** Operators' metrics of alerts and auto top-ups ({@code tollgate.alerts}, {@code tollgate.topups.auto}), also logged. */
    @Singleton
    AlertEvents alertEvents(dev.tollgate.metrics.Metrics metrics) {
        return new AlertEvents() {
            @Override
            public void alert(dev.tollgate.alerts.AlertKind kind) {
                AlertEvents.LOGGING.alert(kind);
                metrics.alert(kind.wire());
            }

            @Override
            public void autoTopUp(String result) {
                AlertEvents.LOGGING.autoTopUp(result);
                metrics.autoTopUp(result);
            }
        };
    }

    /** No redirects (a customer's URL must not bounce a signed alert elsewhere); short timeouts, retried later. */
    @Singleton
    WebhookPoster webhookPoster() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return (url, headers, body) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            try {
                return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.IOException("interrupted", e);
            }
        };
    }

    @Singleton
    AlertDeliveries alertDeliveries(DynamoAlertStore store, WebhookPoster poster, @Named("alerts") ExecutorService executor,
                                    Clock clock) {
        return new AlertDeliveries(store, poster, executor, clock);
    }

    @Singleton
    Alerts alerts(DynamoAlertStore store, AlertDeliveries deliveries, AlertEvents events, DynamoBalanceStore balances,
                  Clock clock, @Value("${tollgate.alerts.allow-http-localhost:false}") boolean allowLocalHttp) {
        return new Alerts(store, deliveries, events, account -> balances.balance(account).orElse(Money.ZERO), clock,
                allowLocalHttp);
    }

    @Singleton
    OffSessionPayments offSessionPayments(StripeConfig config) {
        return new StripeOffSessionPayments(config::getApiKey, apiKey -> StripeFactory.client(config, apiKey));
    }

    /**
     * In a Lambda function, crossings are only claimed; the reconciler function (the one with the Stripe key besides
     * the API) starts their payments within a minute. The local server starts them itself; a container in the CDK
     * stack does not ({@code tollgate.auto-topup.start-in-process=false}: a chat task holds no Stripe key), the
     * reconciler function does.
     */
    @Singleton
    AutoTopUps autoTopUps(DynamoAlertStore store, DynamoTopUpStore orders, BeanProvider<OffSessionPayments> payments,
                          Alerts alerts, AlertEvents events, @Named("alerts") ExecutorService executor, Clock clock,
                          TollgateConfig config, @Nullable FunctionRole role,
                          @Value("${tollgate.auto-topup.start-in-process:true}") boolean startInProcess) {
        return new AutoTopUps(store, orders, charge -> payments.get().charge(charge), alerts, events, executor, clock,
                config.getKeyCacheTtl(), role == null && startInProcess);
    }

    @Singleton
    AutoTopUpSettings autoTopUpSettings(AutoTopUps autoTopUps, DynamoBalanceStore balances, StripeConfig config, Clock clock) {
        return new AutoTopUpSettings(autoTopUps, account -> balances.balance(account).orElse(Money.ZERO),
                Money.parseDollars(config.getMinTopUp()), Money.parseDollars(config.getMaxTopUp()), clock);
    }

    @Singleton
    @Named("settlements")
    SettlementObserver settlementObserver(Alerts alerts, AutoTopUps autoTopUps, DynamoKeyStore keys,
                                          @Named("alerts") ExecutorService executor, Clock clock, TollgateConfig config) {
        return SettlementObserver.all(List.of(autoTopUps,
                new AlertWatch(alerts, keys::findByHash, executor, clock, config.getKeyCacheTtl())));
    }
}
