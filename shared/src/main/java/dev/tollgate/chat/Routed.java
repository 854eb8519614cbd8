package dev.tollgate.chat;

import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.money.Money;

/**
 * A model of a request's route with the limits the request runs under on it.
 *
 * @param clamped whether the output bound was lowered to fit a cost ceiling or, in afford mode, the money left
 */
record Routed(ModelEntry model, ChatLimits limits, boolean clamped) {

    Routed(ModelEntry model, ChatLimits limits) {
        this(model, limits, false);
    }

    /**
     * What the request holds on this model: its prompt and whole output bound at the model's prices, the prompt at
     * the dearest prompt rate, since the upstream may write all of it to its cache.
     */
    Money hold() {
        return model.pricing().bound(limits.promptTokens(), limits.outputBound());
    }

    /** This model with its output bound lowered until the hold is at most {@code target}, or {@code null}. */
    Routed fitTo(Money target, int minimumOutput) {
        ChatLimits fitted = OutputClamp.fit(model.pricing(), limits, target, minimumOutput);
        if (fitted == null) {
            return null;
        }
        return fitted == limits ? this : new Routed(model, fitted, true);
    }
}
