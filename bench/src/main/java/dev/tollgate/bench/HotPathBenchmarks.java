package dev.tollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.chat.ChatLimits;
import dev.tollgate.chat.ChatWire;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyAuthenticator;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.keys.KeySecret;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.money.ModelPricing;
import dev.tollgate.openai.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request pieces of Tollgate's hot path, each measured alone: key lookup on a cache hit,
 * request parse + rewrite, prompt token counting, cost computation, and per-chunk SSE relay work.
 * Run: {@code java -jar bench/target/benchmarks.jar HotPath} (see docs/PERFORMANCE.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmarks {

    static final byte[] BODY = ("{\"model\":\"qwen3:latest\",\"max_tokens\":256,\"temperature\":0.7,"
            + "\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
            + "{\"role\":\"user\",\"content\":\"Explain in two sentences why prepaid API billing needs holds.\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    static final String CHUNK = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
            + "\"model\":\"qwen3:latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"finish_reason\":null}]}";

    ObjectMapper json;
    KeyAuthenticator authenticator;
    String authorization;
    TokenCounter tokens;
    ModelEntry model;
    ModelPricing pricing;
    JsonNode messages;

    @Setup
    public void setUp() throws Exception {
        json = new ObjectMapper();
        KeySecret secret = KeySecret.generate();
        ApiKey key = ApiKey.create("key_bench", "acct_bench", secret, "bench", KeyRole.INFERENCE, Instant.now());
        authenticator = new KeyAuthenticator(new OneKeyStore(key), Clock.systemUTC(), Duration.ofHours(1), 1000);
        authorization = "Bearer " + secret.secret();
        authenticator.authenticate(authorization);
        tokens = new TokenCounter();
        model = CatalogLoader.loadDefault().find("qwen3:latest").orElseThrow();
        pricing = model.pricing();
        messages = json.readTree(BODY).get("messages");
        tokens.countPrompt(model.tokenizer(), messages, null);
    }

    @Benchmark
    public ApiKey authCacheHit() {
        return authenticator.authenticate(authorization);
    }

    private static final ChatLimits LIMITS = new ChatLimits(30, 256, 1, java.util.Set.of());

    @Benchmark
    public ObjectNode parseAndRewriteRequest() {
        return ChatWire.toUpstream(ChatRequest.parse(BODY, json), model, LIMITS);
    }

    @Benchmark
    public int countPromptTokens() {
        return tokens.countPrompt(model.tokenizer(), messages, null);
    }

    @Benchmark
    public Money costComputation() {
        return pricing.cost(1234, 567);
    }

    /** What the relay does per streamed chunk: parse, set the public model id, serialize, frame. */
    @Benchmark
    public String relayOneChunk() throws Exception {
        ObjectNode chunk = (ObjectNode) json.readTree(CHUNK);
        chunk.put("model", "qwen3:latest");
        return "data: " + chunk + "\n\n";
    }
}
