package dev.tollgate.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An upstream that also serves the OpenAI Embeddings API ({@code POST /embeddings}). An optional
 * capability beside {@link ChatProvider}: an upstream implements it only if it can embed.
 */
public interface EmbeddingProvider {

    /**
     * A buffered embeddings call: the body is the caller's, in the OpenAI wire format with the upstream's
     * model name; the answer is the upstream's 2xx response body (an OpenAI {@code list} of embeddings).
     */
    byte[] embeddings(ObjectNode body) throws UpstreamException;
}
