package dev.tollgate.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DynamoDB Local inside the local server's JVM, serving HTTP on a free loopback port, with its data in
 * a folder so keys and balances survive restarts. The application talks to it over HTTP exactly as it
 * talks to DynamoDB on AWS.
 */
final class EmbeddedDynamo implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private EmbeddedDynamo(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    static EmbeddedDynamo start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        int port = freePort();
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
            "-dbPath", dataDir.toAbsolutePath().toString(), "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
        return new EmbeddedDynamo(server, port);
    }

    URI endpoint() {
        return endpoint;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
