package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testkit.RecordedRequest;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code chat} function as Lambda Web Adapter sees it: the server {@code run.sh} starts (the chat role's
 * context on Netty, upstream keys from the fake Secrets Manager), probed on its readiness path, then sent
 * the chat events of {@code events/api/} the way the adapter forwards an invocation: the event's method,
 * path, headers and body as a plain HTTP request, the response passed through as it streams.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatServerIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LambdaHarness harness;
    private ApplicationContext server;
    private URI base;
    private String key;

    @BeforeAll
    void start() {
        harness = LambdaHarness.start();
        Micronaut micronaut = Micronaut.build(new String[0]).mainClass(ChatServer.class);
        LambdaContexts.configure(micronaut, FunctionRole.CHAT, harness.env(FunctionRole.CHAT));
        server = micronaut.properties(Map.of(
                        "micronaut.server.host", "127.0.0.1",
                        "micronaut.server.port", -1,
                        "tollgate.dynamodb.endpoint", harness.dynamo.endpoint().toString(),
                        "tollgate.dynamodb.create-tables", true,
                        "tollgate.upstreams.ollama.base-url", harness.upstream.baseUrl().toString()))
                .environments("test").start();
        base = URI.create("http://127.0.0.1:" + server.getBean(EmbeddedServer.class).getPort());
        key = LambdaHarness.openAccount(server, "5.00");
    }

    @AfterAll
    void stop() {
        server.close();
        harness.close();
    }

    /** What the adapter does with an API Gateway event: the same request, over HTTP, to the local server. */
    private HttpResponse<String> forward(APIGatewayProxyRequestEvent event) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(event.getPath())).timeout(Duration.ofSeconds(30))
                .method(event.getHttpMethod(), event.getBody() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(event.getBody()));
        event.getHeaders().forEach((name, value) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase())) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theReadinessPathAnswersBelow500WithoutAKey() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(ChatServer.READINESS_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void streamsAChatCompletionWithTheUpstreamKeyFromSecretsManager() throws Exception {
        harness.upstream.clearRequests();

        HttpResponse<String> response = forward(LambdaHarness.event("api/chat-completions-stream.json", Map.of("TOLLGATE_API_KEY", key)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(response.body()).contains("data: {").endsWith("data: [DONE]\n\n");
        RecordedRequest upstream = harness.upstream.takeRequest(Duration.ofSeconds(5));
        assertThat(upstream.header("authorization")).isEqualTo("Bearer upstream-key-from-secrets-manager");
    }

    @Test
    void answersABufferedChatCompletionOnTheSameRoute() throws Exception {
        HttpResponse<String> response = forward(LambdaHarness.event("api/chat-completions-buffered.json", Map.of("TOLLGATE_API_KEY", key)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = LambdaHarness.json(response.body(), JsonNode.class);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(response.headers().firstValue("x-tollgate-balance-usd")).isPresent();
    }
}
