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
    /** The stream ran past the maximum duration: charge what was delivered. */
    TOO_LONG("max_duration");

    private final String status;

    StreamEnd(String status) {
        this.status = status;
    }

    /** The status recorded in the ledger entry. */
    public String status() {
        return status;
    }
}
