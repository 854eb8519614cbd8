package dev.tollgate.chat;

/** How a relayed stream ended, which decides what is charged (see the README's stream billing policy). */
public enum StreamEnd {
    /** The upstream sent {@code [DONE]}: charge its usage. */
    COMPLETED("ok"),
    /** The caller went away: the upstream call is cancelled, prompt and delivered tokens are charged. */
    CLIENT_DISCONNECTED("client_disconnect"),
    /** The upstream failed mid-stream (reset, cut without {@code [DONE]}, error event): charge what was delivered. */
    UPSTREAM_FAILED("upstream_error"),
    /** The upstream went silent longer than its idle timeout: charge what was delivered. */
    UPSTREAM_IDLE("upstream_timeout"),
    /** The stream reached its deadline (the maximum duration, or the function's own end): charge what was delivered. */
    TOO_LONG("max_duration"),
    /** The stream reached the output bound the hold paid for and Tollgate ended it: charge the bound at most. */
    OUTPUT_BOUND("output_bound"),
    /** The server was stopping and the stream did not finish within the grace period: charge what was delivered. */
    SHUTDOWN("shutdown");

    private final String status;

    StreamEnd(String status) {
        this.status = status;
    }

    /** The status recorded in the ledger entry. */
    public String status() {
        return status;
    }
}
