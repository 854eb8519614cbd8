package dev.tollgate.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one narrow interface every chat upstream implements. The body is already in the OpenAI wire
 * format with the upstream's model name; adapters for other wire formats translate it inside.
 */
public interface ChatProvider {

    /** A buffered chat completion: the upstream's 2xx response body as OpenAI {@code chat.completion} JSON. */
    byte[] chat(ObjectNode body) throws UpstreamException;

    /** Opens a streamed completion; returns once the upstream accepted it (2xx response headers seen). */
    UpstreamStream stream(ObjectNode body) throws UpstreamException;

    /**
     * The upstream's {@code gen_ai.provider.name} when it is a well-known one ({@code anthropic}, {@code aws.bedrock});
     * {@code null} for a server that only speaks a provider's format, which traces then name by its upstream.
     */
    default String genAiProvider() {
        return null;
    }
}
