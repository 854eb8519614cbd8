package dev.tollgate.telemetry;

/** The trace of one inbound request: its upstream attempts become child spans of it. */
public interface RequestTrace {

    RequestTrace NONE = attempt -> AttemptSpan.NONE;

    /** Starts the span of one attempt (kind client), a child of the request's span. */
    AttemptSpan attempt(Attempt attempt);
}
