package dev.tollgate.functions.telemetry;

import dev.tollgate.telemetry.AttemptSpan;
import dev.tollgate.telemetry.RequestTrace;

/** Starts the server span of an inbound request; {@link #OFF} when tracing is off (no SDK, no exporter). */
public interface ServerTraces {

    ServerTraces OFF = (method, route) -> ServerTrace.NONE;

    /** @param route the path template ({@code /v1/chat/completions}), never a path with ids in it */
    ServerTrace start(String method, String route);

    /** A request's trace, ended once with its response's status. */
    interface ServerTrace extends RequestTrace {

        ServerTrace NONE = new ServerTrace() {
            @Override
            public AttemptSpan attempt(dev.tollgate.telemetry.Attempt attempt) {
                return AttemptSpan.NONE;
            }

            @Override
            public void end(int status, Outcome outcome) {
            }

            @Override
            public boolean recording() {
                return false;
            }
        };

        /** @param outcome what the log line says of the request too, or {@code null} for a request never billed */
        void end(int status, Outcome outcome);

        /** Whether this trace records anything (false for {@link #NONE}). */
        boolean recording();
    }

    /** A request's ids and billing, as its server span carries them. */
    record Outcome(String requestId, String accountId, String keyId, String model, String status,
                   long inputTokens, long outputTokens, long chargedMicros, boolean streamed) {
    }
}
