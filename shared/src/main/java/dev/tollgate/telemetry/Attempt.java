package dev.tollgate.telemetry;

import java.net.URI;

/**
 * One attempt at an upstream, as its span describes it. Never a prompt, a completion, or a key.
 *
 * @param operation     the GenAI operation: {@code chat} or {@code embeddings}
 * @param model         the catalog's public model id
 * @param upstreamModel the model name sent to the upstream ({@code gen_ai.request.model})
 * @param upstream      the configured upstream's name
 * @param provider      {@code gen_ai.provider.name}: a well-known value ({@code anthropic}, {@code aws.bedrock}) or
 *                      the upstream's name for an OpenAI-compatible server
 * @param baseUrl       where the upstream is ({@code server.address}, {@code server.port})
 * @param number        1 for the first attempt at this model, 2 for its first retry, ...
 * @param fallback      0 for the route's first model, 1 for its first fallback, ...
 * @param maxTokens     the output bound sent upstream, or a negative number when none applies
 */
public record Attempt(String operation, String model, String upstreamModel, String upstream, String provider,
                      URI baseUrl, int number, int fallback, long maxTokens) {

    public Attempt withNumber(int attempt) {
        return new Attempt(operation, model, upstreamModel, upstream, provider, baseUrl, attempt, fallback, maxTokens);
    }
}
