package dev.tollgate.chat;

/** Where a relayed stream's SSE frames go: the HTTP response. Called from one thread at a time. */
public interface FrameSink {

    /** Sends one complete SSE frame ({@code data: ...\n\n} or a {@code :} comment). */
    void send(String frame);

    /** Ends the response. */
    void complete();
}
