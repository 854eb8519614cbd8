package dev.tollgate.embeddings;

import dev.tollgate.billing.Settlement;

/** A finished embeddings call: the JSON body for the caller and what it was charged. */
public record EmbeddingOutcome(String requestId, byte[] body, Settlement settlement) {
}
