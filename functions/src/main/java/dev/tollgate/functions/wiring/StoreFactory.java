package dev.tollgate.functions.wiring;

import dev.tollgate.billing.PooledStreamSlots;
import dev.tollgate.billing.StreamSlots;
import dev.tollgate.functions.config.DynamoConfig;
import dev.tollgate.functions.config.IdempotencyConfig;
import dev.tollgate.functions.config.StreamConfig;
import dev.tollgate.health.StoreProbe;
import dev.tollgate.idempotency.IdempotentRequests;
import dev.tollgate.store.dynamo.DynamoAccountStore;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.store.dynamo.DynamoIdempotencyStore;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import dev.tollgate.store.dynamo.DynamoStoreProbe;
import dev.tollgate.store.dynamo.DynamoStreamSlots;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.store.dynamo.DynamoWindowStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** The DynamoDB client and the store adapters on top of it. */
@Factory
public class StoreFactory {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFactory.class);
    /** How far past a stream's need a pooled stream slot's lease reaches (at least the slot linger). */
    static final Duration SLOT_REACH = Duration.ofMinutes(1);

    @Singleton
    DynamoCallCounter dynamoCallCounter() {
        return new DynamoCallCounter();
    }

    @Singleton
    @Bean(preDestroy = "close")
    DynamoDbClient dynamoDbClient(DynamoConfig config, DynamoCallCounter counter) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(config.getRegion()))
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .httpClient(UrlConnectionHttpClient.create());
        if (config.getEndpoint() != null) {
            // DynamoDB Local: any credentials are accepted.
            builder.endpointOverride(config.getEndpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    @Singleton
    DynamoTables tables(DynamoConfig config, DynamoDbClient dynamo) {
        DynamoTables tables = DynamoTables.withPrefix(config.getTablePrefix());
        if (config.isCreateTables()) {
            tables.createMissing(dynamo);
        }
        return tables;
    }

    @Singleton
    StoreProbe storeProbe(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoStoreProbe(dynamo, tables);
    }

    /** Stored Responses API responses ({@code store: true}), by account, deleted by DynamoDB's TTL. */
    @Singleton
    dev.tollgate.inbound.responses.ResponseStore responseStore(DynamoDbClient dynamo, DynamoTables tables,
                                                               com.fasterxml.jackson.databind.ObjectMapper json,
                                                               java.time.Clock clock) {
        return new dev.tollgate.store.dynamo.DynamoResponseStore(dynamo, tables, json, clock);
    }

    @Singleton
    DynamoKeyStore keyStore(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoKeyStore(dynamo, tables);
    }

    @Singleton
    DynamoAccountStore accountStore(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoAccountStore(dynamo, tables);
    }

    @Singleton
    DynamoBalanceStore balanceStore(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoBalanceStore(dynamo, tables);
    }

    @Singleton
    DynamoWindowStore windowStore(DynamoDbClient dynamo, DynamoTables tables) {
        return new DynamoWindowStore(dynamo, tables);
    }

    /**
     * The per-account cap on open streams ({@code tollgate.stream.max-open-per-account}), counted in one item per
     * account in the holds table; with the cap at 0 nothing is counted and nothing is stored.
     */
    @Singleton
    @Bean(preDestroy = "close") // after the streams were drained (StreamDrain), before the DynamoDB client closes
    StreamSlots streamSlots(DynamoDbClient dynamo, DynamoTables tables, StreamConfig stream, Environment environment,
                            @Named("stream-timer") ScheduledExecutorService timer, Clock clock) {
        int cap = stream.getMaxOpenPerAccount();
        if (cap > DynamoStreamSlots.MAX_CAP) {
            throw new IllegalArgumentException("tollgate.stream.max-open-per-account is at most "
                    + DynamoStreamSlots.MAX_CAP + " (each open stream is a lease in one DynamoDB item), not " + cap);
        }
        if (cap == 0) {
            return StreamSlots.UNLIMITED;
        }
        StreamSlots store = new DynamoStreamSlots(dynamo, tables, cap);
        boolean lambda = environment.getActiveNames().stream().anyMatch(name -> name.startsWith("lambda"));
        Duration linger = stream.getSlotLinger();
        if (lambda || linger.isZero()) {
            return store;
        }
        // A minute's reach: a slot in constant use is extended once a minute, not every linger (ADR 0007).
        Duration reach = linger.compareTo(SLOT_REACH) > 0 ? linger : SLOT_REACH;
        PooledStreamSlots pool = new PooledStreamSlots(store, linger, reach, clock);
        long every = Math.max(100, linger.toMillis() / 2);
        timer.scheduleWithFixedDelay(() -> {
            try {
                pool.sweep();
            } catch (RuntimeException e) {
                LOG.warn("giving back kept stream slots failed; they free themselves when their leases end: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return pool;
    }

    /**
     * {@code Idempotency-Key} records, items of the holds table. The lease must outlast the longest stream, or a
     * stream still running could be taken over (its request id stays the same, so that is never a second charge,
     * but the second attempt would be refused).
     */
    @Singleton
    IdempotentRequests idempotentRequests(DynamoDbClient dynamo, DynamoTables tables, IdempotencyConfig config,
                                          StreamConfig stream, java.time.Clock clock) {
        if (config.getLease().compareTo(stream.getMaxDuration()) <= 0) {
            throw new IllegalArgumentException("tollgate.idempotency.lease (" + config.getLease() + ") must be longer "
                    + "than tollgate.stream.max-duration (" + stream.getMaxDuration() + ")");
        }
        return new IdempotentRequests(new DynamoIdempotencyStore(dynamo, tables), clock, config.getLease(),
                config.getTtl(), config.getMaxStoredBytes());
    }
}
