package dev.tollgate.functions.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tollgate.accounts.AccountStore;
import dev.tollgate.catalog.Catalog;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyEventHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does the first request's one-time work on a background thread as soon as a request-serving function's
 * context has started, while the handler finishes its init and the first event arrives: one request without
 * credentials through a proxy handler of its own ({@code api} only: routing, filters, Reactor, the JSON error
 * envelope; answered 401 without touching data or secrets), then one DynamoDB read of an account that does
 * not exist (the SDK's first request loads a few thousand classes, and the first event needs DynamoDB to
 * authenticate its key), and, in {@code api}, the catalog the model routes render. With a spare core this
 * takes about 0.1 s off a cold start here (docs/PERFORMANCE.md); with one core it costs nothing noticeable.
 * The reconciler calls DynamoDB at once anyway and skips it.
 */
@Singleton
@Requires(bean = FunctionRole.class)
public class ColdStartWarmup implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ColdStartWarmup.class);

    private final ApplicationContext context;
    private final FunctionRole role;
    private volatile CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

    public ColdStartWarmup(ApplicationContext context, FunctionRole role) {
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
        Thread.ofPlatform().daemon().name("tollgate-warmup").start(() -> {
            try {
                if (role == FunctionRole.API) {
                    unauthenticatedRequest();
                }
                context.getBean(AccountStore.class).find("cold-start-warmup");
                if (role == FunctionRole.API) {
                    context.getBean(Catalog.class); // models and embeddings routes; no longer loaded at init
                }
            } catch (RuntimeException e) {
                LOG.debug("cold-start warm-up failed (harmless): {}", e.toString());
            } finally {
                warm.complete(null);
            }
        });
    }

    private void unauthenticatedRequest() {
        new ApiGatewayProxyEventHandler(context).exchange(new APIGatewayProxyRequestEvent()
                        .withHttpMethod("GET").withPath("/v1/models").withResource("/v1/models")
                        .withHeaders(Map.of("Accept", "application/json", "User-Agent", "tollgate-warmup")),
                new APIGatewayProxyResponseEvent());
    }

    /** Waits until the warm-up finished (SnapStart priming: no request in flight in the snapshot). */
    public void await() {
        done.join();
    }
}
