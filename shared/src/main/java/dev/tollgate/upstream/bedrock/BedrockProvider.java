package dev.tollgate.upstream.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.http.UpstreamHttp;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.JsonTrees;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.upstream.UpstreamCalls;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamSettings;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * Amazon Bedrock Runtime's Converse ({@code POST /model/{id}/converse}) and ConverseStream
 * ({@code /converse-stream}, AWS event-stream frames), signed with SigV4 for the upstream's region. The model id is
 * the catalog's {@code upstream_model} (a foundation-model id or an inference profile). Translation is
 * {@link ToConverseRequest}, {@link FromConverseResponse} and {@link ConverseStreamDecoder}.
 */
public final class BedrockProvider implements ChatProvider {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private final UpstreamSettings settings;
    private final UpstreamHttp http;
    private final UpstreamCalls calls;
    private final BedrockSigner signer;
    private final Clock clock;

    public BedrockProvider(UpstreamSettings settings, String region,
                           IdentityProvider<? extends AwsCredentialsIdentity> credentials, UpstreamHttp http, Clock clock) {
        this(settings, region, credentials, http, clock, Metrics.NONE);
    }

    /** @param metrics told of failed attempts and retries */
    public BedrockProvider(UpstreamSettings settings, String region,
                           IdentityProvider<? extends AwsCredentialsIdentity> credentials, UpstreamHttp http, Clock clock,
                           Metrics metrics) {
        this.settings = settings;
        this.http = http;
        this.calls = new UpstreamCalls(settings, metrics);
        this.signer = new BedrockSigner(credentials, region);
        this.clock = clock;
    }

    @Override
    public byte[] chat(ObjectNode body) throws UpstreamException {
        String model = body.path("model").asText();
        byte[] request = JsonTrees.bytes(converse(body));
        URI uri = uri(model, "converse");
        UpstreamHttp.Buffered response = calls.withRetries(() -> {
            Map<String, String> headers = signer.sign(uri, Map.of("Content-Type", "application/json",
                    "Accept", "application/json"), request);
            UpstreamHttp.Buffered answer = calls.send(() -> http.post(uri, headers, request, settings.requestTimeout()));
            if (answer.status() / 100 != 2) {
                throw UpstreamException.status(settings.name(), answer.status(), UpstreamCalls.truncate(answer.body()));
            }
            return answer;
        });
        try {
            JsonNode converse = JSON.readTree(response.body());
            if (converse == null || !converse.isObject()) {
                throw calls.protocol("something that is not a Converse response", null);
            }
            return JsonTrees.bytes(FromConverseResponse.map(converse, newId(), model,
                    clock.instant().getEpochSecond()));
        } catch (IOException e) {
            throw calls.protocol("something that is not JSON", e);
        }
    }

    @Override
    public UpstreamStream stream(ObjectNode body) throws UpstreamException {
        String model = body.path("model").asText();
        byte[] request = JsonTrees.bytes(converse(body));
        URI uri = uri(model, "converse-stream");
        return calls.withRetries(() -> {
            Map<String, String> headers = signer.sign(uri, Map.of("Content-Type", "application/json",
                    "Accept", "application/vnd.amazon.eventstream"), request);
            UpstreamHttp.Streamed response = calls.send(() -> http.postStreamed(uri, headers, request,
                    settings.firstByteTimeout()));
            if (response.status() / 100 != 2) {
                throw calls.status(response.status(), response.body());
            }
            return new BedrockEventStream(response.body(),
                    new ConverseStreamDecoder(newId(), model, clock.instant().getEpochSecond()));
        });
    }

    private ObjectNode converse(ObjectNode body) throws UpstreamException {
        try {
            return ToConverseRequest.map(body);
        } catch (ToConverseRequest.Unsupported e) {
            // The caller's request, not the upstream, is at fault: a 400 that names what to change.
            throw UpstreamException.status(settings.name(), 400,
                    JSON.createObjectNode().put("message", e.getMessage()).toString());
        }
    }

    /** The model id is one path segment: {@code :} and {@code /} in ids and ARNs are percent-encoded, as the SDK does. */
    private URI uri(String model, String action) {
        String id = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
        return settings.resolve("model/" + id + "/" + action);
    }

    private static String newId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public String genAiProvider() {
        return "aws.bedrock";
    }
}
