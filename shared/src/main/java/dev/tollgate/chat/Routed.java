package dev.tollgate.chat;

import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.money.Money;

/** A model of a request's route with the limits the request runs under on it. */
record Routed(ModelEntry model, ChatLimits limits) {

    /**
     * What the request holds on this model: its prompt and whole output bound at the model's prices, the prompt at
     * the dearest prompt rate, since the upstream may write all of it to its cache.
     */
    Money hold() {
        return model.pricing().bound(limits.promptTokens(), limits.outputBound());
    }
}
