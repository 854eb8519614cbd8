package dev.tollgate.upstream;

import java.io.IOException;

/**
 * An open streamed response: OpenAI chat-completion chunk JSON payloads, one per call, in arrival order.
 * Closing it cancels the upstream request (the connection is dropped, so the upstream stops generating).
 */
public interface UpstreamStream extends AutoCloseable {

    /**
     * Blocks for the next event's data payload. Returns {@link SseEvents#DONE} at {@code [DONE]} and
     * {@code null} if the upstream closed the stream without {@code [DONE]}.
     *
     * @throws IOException if the connection broke or the stream was closed
     */
    String next() throws IOException;

    /**
     * Whether the next event has (probably) already arrived, so {@link #next()} will not wait for the network. The
     * relay writes the frames of a burst to its caller together and flushes when this is false.
     */
    default boolean hasBuffered() {
        return false;
    }

    /**
     * {@code flush} runs whenever {@link #next()} is about to wait for the network, where the stream's client can
     * tell (Tollgate's own HTTP/1.1 client and the JDK's; see
     * {@link dev.tollgate.http.UpstreamHttp.Streamed#beforeWaiting}). The relay's frames then never wait for the
     * upstream's next event, even when {@link #hasBuffered()} saw bytes that did not make a whole event (a comment,
     * half an event). Streams without it (Bedrock's event stream) rely on {@link #hasBuffered()} alone.
     */
    default void beforeWaiting(Runnable flush) {
    }

    @Override
    void close();

    /**
     * Ends a stream that was read to {@link SseEvents#DONE}: like {@link #close()}, but the connection may
     * stay open for the next request (what remains of the response is read first, briefly). After anything
     * other than {@code [DONE]} it is {@link #close()}. Whichever of the two is called first decides.
     */
    default void release() {
        close();
    }
}
