package dev.tollgate.telemetry;

import java.util.function.Consumer;

/**
 * One inbound request as the edge sees it (endpoint, trace) and, once settled, as billing saw it. It is finished,
 * once, when both halves that apply are in: the response status (from the HTTP layer) and, for a request that
 * reserved a stream, its settlement, which comes later, on the relay's thread. Whoever finishes it writes its log
 * line and ends its span.
 */
public final class RequestContext {

    public static final RequestContext NONE = new RequestContext("", RequestTrace.NONE, ctx -> { });

    private final String endpoint;
    private final RequestTrace trace;
    private final Consumer<RequestContext> onFinish;
    private boolean streamReserved;
    private int httpStatus;
    private boolean responded;
    private boolean finished;
    private Billed billed;

    /** @param onFinish called once, when the request is finished (see the class comment) */
    public RequestContext(String endpoint, RequestTrace trace, Consumer<RequestContext> onFinish) {
        this.endpoint = endpoint;
        this.trace = trace;
        this.onFinish = onFinish;
    }

    public String endpoint() {
        return endpoint;
    }

    public RequestTrace trace() {
        return trace;
    }

    /** A hold (or a free reservation) was taken; a streamed one is finished by its settlement too. */
    public void reserved(boolean streamed) {
        if (this == NONE) {
            return;
        }
        synchronized (this) {
            streamReserved |= streamed;
        }
    }

    /** The request settled (on a stream, when the relay ended). */
    public void settled(Billed settled) {
        if (this == NONE) {
            return;
        }
        boolean finish;
        synchronized (this) {
            billed = settled;
            finish = responded && !finished;
            finished |= finish;
        }
        if (finish) {
            onFinish.accept(this);
        }
    }

    /** The response's status is known (its head is being sent). */
    public void responded(int status) {
        if (this == NONE) {
            return;
        }
        boolean finish;
        synchronized (this) {
            httpStatus = status;
            responded = true;
            finish = !finished && (!streamReserved || billed != null);
            finished |= finish;
        }
        if (finish) {
            onFinish.accept(this);
        }
    }

    public synchronized int httpStatus() {
        return httpStatus;
    }

    /** The settlement, or {@code null} for a request that was refused or failed before billing. */
    public synchronized Billed billed() {
        return billed;
    }
}
