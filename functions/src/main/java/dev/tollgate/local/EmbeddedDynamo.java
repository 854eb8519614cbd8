package dev.tollgate.local;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;

/**
 * DynamoDB Local inside the local server's JVM, serving HTTP on a free port of 127.0.0.1 only (it holds every key
 * hash and balance and checks no credentials), with its data in a folder so keys and balances survive restarts. The
 * application talks to it over HTTP exactly as it talks to DynamoDB on AWS.
 *
 * <p>Built from DynamoDB Local's own handlers rather than its {@code ServerRunner}, which listens on every interface.
 * The port is open at once and the database (about a second of the start) is opened on a thread of its own while
 * Micronaut starts; a request that arrives before it is ready waits for it.
 */
final class EmbeddedDynamo implements AutoCloseable {

    private final Server jetty;
    private final Gate gate;
    private final URI endpoint;

    private EmbeddedDynamo(Server jetty, Gate gate, URI endpoint) {
        this.jetty = jetty;
        this.gate = gate;
        this.endpoint = endpoint;
    }

    static EmbeddedDynamo start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        String dbPath = dataDir.toAbsolutePath().toString();
        Gate gate = new Gate();
        Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ContextHandler context = new ContextHandler();
        context.setHandler(gate);
        jetty.setHandler(context);
        jetty.start();
        Thread opener = new Thread(() -> gate.open(dbPath), "dynamodb-local-open");
        opener.setDaemon(true);
        opener.start();
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        return new EmbeddedDynamo(jetty, gate, URI.create("http://127.0.0.1:" + port));
    }

    URI endpoint() {
        return endpoint;
    }

    /** Why the database could not be opened, if it could not (a start-up failure is reported with it). */
    Throwable failure() {
        return gate.ready.isCompletedExceptionally() ? gate.ready.exceptionNow() : null;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
        LocalDynamoDBServerHandler dynamo = gate.ready.getNow(null);
        if (dynamo != null) {
            dynamo.close();
        }
    }

    /** Passes requests to DynamoDB Local once its database is open; until then they wait (at most a minute). */
    private static final class Gate extends Handler.Wrapper {

        private final CompletableFuture<LocalDynamoDBServerHandler> ready = new CompletableFuture<>();

        Gate() {
            super(true); // the handler is set after the server has started
        }

        void open(String dbPath) {
            try {
                // Arguments as DynamoDB Local's ServerRunner passes them: no port of its own, on disk, one
                // database per credentials/region, no artificial delays.
                LocalDynamoDBServerHandler dynamo = new LocalDynamoDBServerHandler(
                        new LocalDynamoDBRequestHandler(0, false, dbPath, false, false), null);
                setHandler(dynamo);
                ready.complete(dynamo);
            } catch (Throwable e) {
                ready.completeExceptionally(e);
            }
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            ready.get(1, TimeUnit.MINUTES);
            return super.handle(request, response, callback);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.BLOCKING; // handle() may wait: never on a selector thread
        }
    }
}
