package dev.tollgate.testkit;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local running in-process as an HTTP server on a free loopback port.
 *
 * <p>Uses {@link ServerRunner} (Jetty) rather than {@code DynamoDBEmbedded}, which leaves a non-daemon thread
 * behind after shutdown. {@link #close()} also stops DynamoDB Local's background job threads, which its own
 * {@code stop()} leaves running, so a plain {@code main} using this (a local dev server) can exit. The sqlite4java
 * native libraries ship inside the DynamoDBLocal jar, so no {@code java.library.path} setup is needed.
 */
public final class LocalDynamo implements AutoCloseable {

    private static final int START_ATTEMPTS = 5;

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private DynamoDbClient client;
    private boolean closed;

    private LocalDynamo(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /** Starts an in-memory instance (all data is lost on {@link #close()}). */
    public static LocalDynamo start() {
        return launch(List.of("-inMemory"));
    }

    /** Starts an instance storing its sqlite file under {@code dir} (created if missing); data survives restarts. */
    public static LocalDynamo startPersistent(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return launch(List.of("-dbPath", dir.toAbsolutePath().toString()));
    }

    private static LocalDynamo launch(List<String> storageArgs) {
        Exception last = null;
        // The port is found free and then handed to Jetty, so another process can grab it in between; retry.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = freePort();
            List<String> args = new ArrayList<>(storageArgs);
            args.addAll(List.of("-port", String.valueOf(port), "-disableTelemetry"));
            DynamoDBProxyServer server = null;
            try {
                server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
                server.start();
                return new LocalDynamo(server, port);
            } catch (Exception e) {
                last = e;
                stopQuietly(server);
            }
        }
        throw new IllegalStateException("could not start DynamoDB Local", last);
    }

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:54321}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A shared sync client pointed at this instance (closed together with it). */
    public synchronized DynamoDbClient client() {
        if (closed) {
            throw new IllegalStateException("LocalDynamo is closed");
        }
        if (client == null) {
            client = clientFor(endpoint);
        }
        return client;
    }

    /**
     * A new sync client for any DynamoDB Local endpoint: us-east-1, dummy credentials, and {@code interceptors}
     * (to count calls, say); the caller closes it.
     */
    public static DynamoDbClient clientFor(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .build();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client != null) {
            client.close();
        }
        stopQuietly(server);
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception ignored) {
            // best effort: a half-started server may refuse to stop
        }
        stopBackgroundJobs(server);
    }

    /**
     * {@code stop()} only flags DynamoDB Local's background jobs (TTL, GSI, stream shard rollover) as cancelled;
     * their non-daemon pool threads sleep on and keep a plain {@code main} JVM alive. Interrupt them through the
     * public {@code JobsRegister.shutdownNow()}, found by field names of 2.6.1; if those change this does nothing.
     */
    private static void stopBackgroundJobs(DynamoDBProxyServer server) {
        try {
            Object handler = field(server, "serverHandler");
            Object requestHandler = field(handler, "primaryHandler");
            if (field(requestHandler, "dbRequestHandlers") instanceof Map<?, ?> dbs) {
                for (Object db : dbs.values()) {
                    Object jobs = field(db, "jobs");
                    jobs.getClass().getMethod("shutdownNow").invoke(jobs);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // internals differ: the threads then linger until the JVM exits, which only matters outside tests
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
