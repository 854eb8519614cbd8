package dev.tollgate.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a relayed stream's SSE frames go: the HTTP response. Called from one thread at a time. */
public interface FrameSink {

    /** Sends one complete SSE frame ({@code data: ...\n\n} or a {@code :} comment). */
    void send(String frame);

    /**
     * Sends one {@code chat.completion.chunk} as a {@code data:} frame. The relay does not change the chunk after
     * this, so a sink may write it when it likes; a sink that reads chunks (another wire format's encoder) takes the
     * tree instead of parsing its text again.
     */
    default void sendChunk(ObjectNode chunk) {
        send("data: " + chunk + "\n\n");
    }

    /**
     * Sends now what was sent before: a sink may hold frames (to write a burst in one go) until this or
     * {@link #complete()}. The relay calls it whenever it would otherwise wait for the upstream.
     */
    default void flush() {
    }

    /** Ends the response, after writing what is held. */
    void complete();
}
