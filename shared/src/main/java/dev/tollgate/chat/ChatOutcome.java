package dev.tollgate.chat;

import dev.tollgate.billing.Settlement;
import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowUsage;
import java.util.List;

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
     * @param windowsAtStart the spend windows once the hold was taken (the tightest per window), for the headers
     */
    record Streaming(String requestId, StreamRelay relay, Money balanceAtStart,
                     List<WindowUsage> windowsAtStart) implements ChatOutcome {

        public Streaming {
            windowsAtStart = windowsAtStart == null ? List.of() : List.copyOf(windowsAtStart);
        }

        public Streaming(String requestId, StreamRelay relay, Money balanceAtStart) {
            this(requestId, relay, balanceAtStart, List.of());
        }
    }
}
