package dev.tollgate.telemetry;

import java.util.List;

/** The span of one upstream attempt; ended once, by whichever of its methods is called first. */
public interface AttemptSpan {

    AttemptSpan NONE = new AttemptSpan() {
        @Override
        public void failed(String errorType) {
        }

        @Override
        public void answered(Answer answer) {
        }
    };

    /** The attempt failed before the first byte; {@code errorType} is short and low-cardinality ({@code timeout}, {@code 503}). */
    void failed(String errorType);

    /** The answer is complete (a buffered body parsed, a stream settled). */
    void answered(Answer answer);

    /**
     * What the upstream answered, as far as it is known; nulls and negatives are left out of the span.
     *
     * @param end how a stream ended ({@code ok}, {@code client_disconnect}, ...); {@code error.type} unless {@code ok}
     */
    record Answer(String responseModel, String responseId, long inputTokens, long outputTokens,
                  List<String> finishReasons, String end) {
        public Answer {
            finishReasons = finishReasons == null ? List.of() : List.copyOf(finishReasons);
        }
    }
}
