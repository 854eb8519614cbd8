package dev.tollgate.chat;

import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.Settlement;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;

/** A stream's {@link StreamRelay.Metering}: the served model's tokenizer and prices, against its reservation. */
final class RelayMeter implements StreamRelay.Metering {

    private final TokenCounter tokens;
    private final RequestBilling billing;
    private final Reservation reservation;
    private final ModelEntry served;

    RelayMeter(TokenCounter tokens, RequestBilling billing, Reservation reservation, ModelEntry served) {
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
        return billing.settle(reservation, served.id(), served.pricing(), usage, end.status());
    }

    @Override
    public void recordProgress(TokenUsage soFar) {
        billing.recordProgress(reservation, served.id(), served.pricing(), soFar);
    }
}
