package dev.tollgate.functions.lambda;

import dev.tollgate.accounts.AccountStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the DynamoDB client and sends it one read (of an account that does not exist) on a background
 * thread as soon as a request-serving function has started: the SDK's first request loads a few thousand
 * classes, and a cold start's first event needs DynamoDB to authenticate its key. With a spare core the
 * work overlaps the end of init and the start of the first event; with one it costs nothing extra.
 * The reconciler, which calls DynamoDB at once anyway, does not need it.
 */
@Singleton
@Requires(bean = FunctionRole.class)
public class DynamoWarmup implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoWarmup.class);

    private final ApplicationContext context;
    private final FunctionRole role;
    private volatile CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

    public DynamoWarmup(ApplicationContext context, FunctionRole role) {
        this.context = context;
        this.role = role;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (role == FunctionRole.RECONCILER) {
            return;
        }
        CompletableFuture<Void> warm = new CompletableFuture<>();
        done = warm;
        Thread.ofPlatform().daemon().name("tollgate-dynamodb-warmup").start(() -> {
            try {
                context.getBean(AccountStore.class).find("dynamodb-warmup");
            } catch (RuntimeException e) {
                LOG.debug("DynamoDB warm-up read failed (harmless): {}", e.toString());
            } finally {
                warm.complete(null);
            }
        });
    }

    /** Waits until the warm-up read finished (SnapStart priming: no request in flight in the snapshot). */
    public void await() {
        done.join();
    }
}
