package dev.tollgate.chat;

/** Where a relayed stream's SSE frames go: the HTTP response. Called from one thread at a time. */
public interface FrameSink {

    /** Sends one complete SSE frame ({@code data: ...\n\n} or a {@code :} comment). */
    void send(String frame);

    /**
     * Sends now what was sent before: a sink may hold frames (to write a burst in one go) until this or
     * {@link #complete()}. The relay calls it whenever it would otherwise wait for the upstream.
     */
    default void flush() {
    }

    /** Ends the response, after writing what is held. */
    void complete();
}
