package dev.tollgate.functions.wiring;

import com.stripe.StripeClient;
import dev.tollgate.functions.config.StripeConfig;
import dev.tollgate.functions.stripe.StripeCheckoutGateway;
import dev.tollgate.functions.stripe.StripeWebhookVerifier;
import dev.tollgate.money.Money;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.store.dynamo.DynamoTopUpStore;
import dev.tollgate.topups.CheckoutGateway;
import dev.tollgate.topups.TopUpService;
import dev.tollgate.topups.TopUpSettings;
import dev.tollgate.topups.TopUpWebhooks;
import dev.tollgate.topups.OffSessionListener;
import dev.tollgate.autotopup.AutoTopUp;
import dev.tollgate.autotopup.AutoTopUps;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Stripe top-ups: the order store, the Stripe client and adapters, and the two use cases on top. */
@Factory
public class StripeFactory {

    @Singleton
    DynamoTopUpStore topUpStore(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoTopUpStore(dynamo, tables);
    }

    /**
     * One client per instance and API key, built from configuration on first use (no static
     * {@code Stripe.apiKey}): its base URL is {@code tollgate.stripe.api-base}, which tests point at a local
     * fake. Without an API key checkouts answer 503, so a local server runs without Stripe.
     */
    @Singleton
    CheckoutGateway checkoutGateway(StripeConfig config, BeanProvider<AutoTopUps> autoTopUps) {
        // A later Checkout of the same account reuses the Customer the first one created (auto top-up saved it).
        return new StripeCheckoutGateway(config::getApiKey, apiKey -> client(config, apiKey),
                accountId -> autoTopUps.get().store().find(accountId).map(AutoTopUp::customerId).orElse(null));
    }

    static StripeClient client(StripeConfig config, String apiKey) {
        return StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(config.getApiBase())
                .setConnectTimeout(Math.toIntExact(config.getConnectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(config.getReadTimeout().toMillis()))
                // Safe to retry: every create carries an idempotency key (the top-up id, or the auto top-up's crossing).
                .setMaxNetworkRetries(2)
                .build();
    }

    @Singleton
    StripeWebhookVerifier stripeWebhookVerifier(StripeConfig config, Clock clock) {
        return new StripeWebhookVerifier(config::getWebhookSecret, config.getWebhookTolerance(), clock);
    }

    /**
     * The gateway is looked up on the first checkout, not when the service is built: building the API
     * handler's routes (before a SnapStart snapshot) must not build anything from the Stripe secret.
     */
    @Singleton
    TopUpService topUpService(DynamoTopUpStore store, BeanProvider<CheckoutGateway> gateway, StripeConfig config,
                              Clock clock) {
        TopUpSettings settings = new TopUpSettings(Money.parseDollars(config.getMinTopUp()),
                Money.parseDollars(config.getMaxTopUp()), config.getSuccessUrl(), config.getCancelUrl());
        return new TopUpService(store, request -> gateway.get().create(request), settings, clock);
    }

    /** The webhook tells auto top-up of saved cards and of its own payments' results. */
    @Singleton
    TopUpWebhooks topUpWebhooks(DynamoTopUpStore store, Clock clock, BeanProvider<AutoTopUps> autoTopUps) {
        return new TopUpWebhooks(store, clock, new OffSessionListener() {
            @Override
            public void paymentMethodSaved(String accountId, String customerId, String paymentMethodId) {
                autoTopUps.get().paymentMethodSaved(accountId, customerId, paymentMethodId);
            }

            @Override
            public void succeeded(String accountId, String topupId) {
                autoTopUps.get().succeeded(accountId, topupId);
            }

            @Override
            public void failed(String accountId, String topupId, String code, String message) {
                autoTopUps.get().failed(accountId, topupId, code, message);
            }
        });
    }
}
