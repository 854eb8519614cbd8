package dev.tollgate.functions.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Secrets Manager endpoint on loopback that answers {@code GetSecretValue} the way the service does:
 * AWS JSON 1.1 ({@code X-Amz-Target: secretsmanager.GetSecretValue}, {@code application/x-amz-json-1.1}),
 * errors as {@code {"__type": "ResourceNotFoundException", ...}} with status 400. No emulator is
 * available offline; the shapes follow the Secrets Manager API reference (GetSecretValue) and the
 * awsJson1_1 protocol the SDK's generated client speaks. The real SDK client is pointed at it with
 * {@code endpointOverride}.
 */
public final class FakeSecretsManager implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private FakeSecretsManager(HttpServer server) {
        this.server = server;
    }

    public static FakeSecretsManager start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeSecretsManager fake = new FakeSecretsManager(server);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stores (or replaces) a secret; returns its ARN, which is also accepted as its id. */
    public String put(String name, String value) {
        secrets.put(name, value);
        return arn(name);
    }

    /** Deletes a secret: reads of it then fail with ResourceNotFoundException, as a broken reference or grant would. */
    public void remove(String name) {
        secrets.remove(name);
    }

    public static String arn(String name) {
        return "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbCdEf";
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    /** One request as received: the target operation, the secret id, and the SigV4 authorization header. */
    public record Call(String target, String secretId, String authorization) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String secretId = request.path("SecretId").asText();
            calls.add(new Call(target, secretId, exchange.getRequestHeaders().getFirst("Authorization")));
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                respond(exchange, 400, error("UnknownOperationException", "not supported by the fake: " + target));
                return;
            }
            String name = secrets.keySet().stream().filter(n -> n.equals(secretId) || arn(n).equals(secretId))
                    .findFirst().orElse(null);
            if (name == null) {
                respond(exchange, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("ARN", arn(name));
            body.put("Name", name);
            body.put("VersionId", "00000000-0000-0000-0000-000000000001");
            body.put("SecretString", secrets.get(name));
            body.putArray("VersionStages").add("AWSCURRENT");
            body.put("CreatedDate", 1.7953164E9);
            respond(exchange, 200, body);
        }
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", type);
        error.put("message", message);
        return error;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
