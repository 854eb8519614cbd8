package dev.tollgate.chat;

import dev.tollgate.billing.Settlement;
import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowUsage;
import java.util.List;

/** What a chat completion produced: a whole JSON body, or a relay that streams SSE frames. */
public sealed interface ChatOutcome {

    String requestId();

    /** The model that served and why Tollgate chose it (for the {@code x-tollgate-route} header and the request log). */
    RouteDecision route();

    /**
     * A buffered completion, already settled.
     *
     * @param reasoningNote what Tollgate did to the model's thinking, for the {@code x-tollgate-reasoning} header
     *                      (e.g. {@code disabled (needs stream)}); {@code null} when nothing
     */
    record Buffered(String requestId, byte[] body, Settlement settlement, RouteDecision route, String reasoningNote)
            implements ChatOutcome {

        public Buffered(String requestId, byte[] body, Settlement settlement, RouteDecision route) {
            this(requestId, body, settlement, route, null);
        }
    }

    /**
     * A stream accepted by the upstream, not yet relayed: the caller starts it with a sink.
     *
     * @param balanceAtStart the account balance once the hold was taken, for the response headers
     * @param windowsAtStart the spend windows once the hold was taken (the tightest per window), for the headers
     * @param route          the model whose upstream accepted the stream, and why it was chosen
     */
    record Streaming(String requestId, StreamRelay relay, Money balanceAtStart, List<WindowUsage> windowsAtStart,
                     RouteDecision route) implements ChatOutcome {

        public Streaming {
            windowsAtStart = windowsAtStart == null ? List.of() : List.copyOf(windowsAtStart);
        }
    }
}
