package dev.tollgate.chat;

import dev.tollgate.billing.Settlement;
import dev.tollgate.money.Money;

/** What a chat completion produced: a whole JSON body, or a relay that streams SSE frames. */
public sealed interface ChatOutcome {

    String requestId();

    /** A buffered completion, already settled. */
    record Buffered(String requestId, byte[] body, Settlement settlement) implements ChatOutcome {
    }

    /**
     * A stream accepted by the upstream, not yet relayed: the caller starts it with a sink.
     *
     * @param balanceAtStart the account balance once the hold was taken, for the response headers
     */
    record Streaming(String requestId, StreamRelay relay, Money balanceAtStart) implements ChatOutcome {
    }
}
