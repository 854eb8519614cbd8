package dev.tollgate.billing;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.money.Money;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.telemetry.RequestContext;
import dev.tollgate.windows.SpendWindow;
import java.time.Instant;
import java.util.List;

/**
 * A request admitted for billing: with a {@link Hold} for paid models, without one for free models.
 *
 * @param streamed whether the caller asked for a stream (recorded in the request log)
 * @param windows  the spend windows the request counts in (for the credit headers)
 * @param freeRate for a free request of a key with per-minute limits, the minute item it was counted in and the
 *                 tokens counted there; {@link HoldCounters#NONE} otherwise (a paid request's are on its hold)
 * @param route    why Tollgate chose the model that serves (auto routing, a fallback), known once an upstream
 *                 accepted the request; {@code null} when the request named it. The request log records it.
 * @param ceiling  the caller's cost ceiling ({@code max_cost_usd}), or {@code null}: the request is never charged
 *                 more, whatever the upstream reports (its hold is within it, so only a prompt the upstream counted
 *                 longer than Tollgate's estimate can reach it, and what lies beyond is not owed)

 * @param endpoint the public endpoint the request came in on: only the metrics tell them apart, billing does not
 * @param context  the inbound request it was taken for (its log line and trace), told of the settlement; a stream
 *                 settles on another thread, so it travels with the reservation
 */
public record Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt, boolean streamed,
                          List<SpendWindow> windows, HoldCounters freeRate, String route, Money ceiling,
                          Endpoint endpoint, RequestContext context) {

    public Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt, boolean streamed,
                       List<SpendWindow> windows, HoldCounters freeRate) {
        this(requestId, key, hold, startedAt, streamed, windows, freeRate, null, null, Endpoint.CHAT, RequestContext.NONE);
    }

    public Reservation {
        windows = windows == null ? List.of() : List.copyOf(windows);
        freeRate = freeRate == null ? HoldCounters.NONE : freeRate;
        endpoint = endpoint == null ? Endpoint.CHAT : endpoint;
        context = context == null ? RequestContext.NONE : context;
    }

    /** This reservation, taken for {@code request}. */
    public Reservation withContext(RequestContext request) {
        return new Reservation(requestId, key, hold, startedAt, streamed, windows, freeRate, route, ceiling, endpoint,
                request);
    }

    public Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt, boolean streamed) {
        this(requestId, key, hold, startedAt, streamed, List.of(), HoldCounters.NONE);
    }

    public Reservation(String requestId, ApiKey key, Hold hold, Instant startedAt) {
        this(requestId, key, hold, startedAt, false);
    }

    /** This reservation, for a request whose route ended at an upstream for {@code route} (null: the named model). */
    public Reservation withRoute(String route) {
        return new Reservation(requestId, key, hold, startedAt, streamed, windows, freeRate, route, ceiling, endpoint,
                context);
    }

    /** This reservation, for a request the caller capped at {@code ceiling} ({@code null}: no ceiling). */
    public Reservation withCeiling(Money ceiling) {
        return new Reservation(requestId, key, hold, startedAt, streamed, windows, freeRate, route, ceiling, endpoint,
                context);
    }

    /** This reservation, for a request that came in on {@code endpoint}. */
    public Reservation withEndpoint(Endpoint endpoint) {
        return new Reservation(requestId, key, hold, startedAt, streamed, windows, freeRate, route, ceiling, endpoint,
                context);
    }

    public boolean held() {
        return hold != null;
    }
}
