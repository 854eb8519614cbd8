package dev.tollgate.functions.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.net.Webhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The sample events of {@code events/stripe/}, filled in and signed the way Stripe signs them
 * ({@code Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.payload">}), then POSTed to a server.
 */
public final class StripeEvents {

    /** The test signing secret documented in {@code events/stripe/README.md}. */
    public static final String SECRET = "whsec_tollgate_sample_events_test_only";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private StripeEvents() {
    }

    /** {@code events/stripe/<name>.json} with each {@code __KEY__} replaced by its value. */
    public static String load(String name, Map<String, String> values) {
        try {
            String text = Files.readString(directory().resolve(name + ".json"));
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("__" + value.getKey() + "__", value.getValue());
            }
            if (text.matches("(?s).*__[A-Z_]+__.*")) {
                throw new IllegalArgumentException(name + " has unfilled placeholders: " + values.keySet());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload with {@code change} applied to its parsed JSON (e.g. to its {@code data.object}). */
    public static String edit(String payload, Consumer<ObjectNode> change) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(payload);
            change.accept(event);
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event's {@code data.object}, to edit. */
    public static ObjectNode object(ObjectNode event) {
        return (ObjectNode) event.get("data").get("object");
    }

    public static String signature(String payload, String secret, Instant at) {
        long timestamp = at.getEpochSecond();
        try {
            return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed now with {@link #SECRET}. */
    public static HttpResponse<String> send(URI server, String payload) {
        return send(server, payload, signature(payload, SECRET, Instant.now()));
    }

    /** With this {@code Stripe-Signature} header, or none when null. */
    public static HttpResponse<String> send(URI server, String payload, String signatureHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve("/webhooks/stripe"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signatureHeader != null) {
            request.header("Stripe-Signature", signatureHeader);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository's {@code events/stripe}, found from the module directory tests run in. */
    static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("events").resolve("stripe");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("events/stripe not found above " + Path.of("").toAbsolutePath());
    }
}
