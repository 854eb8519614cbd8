package dev.tollgate.chat;

import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.Settlement;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.telemetry.AttemptSpan;

/** A stream's {@link StreamRelay.Metering}: the served model's tokenizer and prices, against its reservation. */
final class RelayMeter implements StreamRelay.Metering {

    private final TokenCounter tokens;
    private final RequestBilling billing;
    private final Reservation reservation;
    private final ModelEntry served;
    private final AttemptSpan span;

    RelayMeter(TokenCounter tokens, RequestBilling billing, Reservation reservation, ModelEntry served) {
        this(tokens, billing, reservation, served, AttemptSpan.NONE);
    }

    /** @param span the span of the upstream attempt being relayed: it ends with the settlement */
    RelayMeter(TokenCounter tokens, RequestBilling billing, Reservation reservation, ModelEntry served, AttemptSpan span) {
        this.span = span;
        this.tokens = tokens;
        this.billing = billing;
        this.reservation = reservation;
        this.served = served;
    }

    @Override
    public int count(String text) {
        return tokens.count(served.tokenizer(), text);
    }

    @Override
    public String truncate(String text, int maxTokens) {
        return tokens.truncate(served.tokenizer(), text, maxTokens);
    }

    @Override
    public Settlement settle(TokenUsage usage, StreamEnd end) {
        // The attempt ends before the settlement, which may finish the request's own span: children end first.
        span.answered(new AttemptSpan.Answer(null, null, usage.promptTokens(), usage.completionTokens(),
                end == StreamEnd.OUTPUT_BOUND ? java.util.List.of("length") : java.util.List.of(), end.status()));
        return billing.settle(reservation, served.id(), served.pricing(), usage, end.status());
    }

    @Override
    public void recordProgress(TokenUsage soFar) {
        billing.recordProgress(reservation, served.id(), served.pricing(), soFar);
    }
}
