package dev.tollgate.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A response body as its framing says: chunked, fixed length, or until the connection closes. Reading
 * it to the end hands a persistent connection back to the pool; closing it earlier drops the connection.
 */
final class Http1Body extends InputStream {

    /** Most a drain reads after the caller's end of payload; an upstream that keeps talking is not kept. */
    private static final int MAX_DRAINED = 64 * 1024;
    /** A chunk size line longer than this (extensions) is left for {@link #read} to take; it is never waited on. */
    private static final int MAX_PEEKED_SIZE_LINE = 256;

    private final Http1Connection connection;
    private final Http1Head head;
    private final Consumer<Http1Connection> release;
    private long left;          // bytes left in the current chunk, or of the fixed-length body
    private boolean sawChunk;   // a chunk's data was read, so its CRLF comes before the next size line
    private boolean ended;
    private boolean closed;

    private Http1Body(Http1Connection connection, Http1Head head, Consumer<Http1Connection> release) {
        this.connection = connection;
        this.head = head;
        this.release = release;
        this.left = head.chunked ? 0 : head.contentLength;
    }

    static Http1Body of(Http1Connection connection, Http1Head head, Consumer<Http1Connection> release) {
        Http1Body body = new Http1Body(connection, head, release);
        if (body.framedLength() == 0) {
            body.end();
        }
        return body;
    }

    int status() {
        return head.status;
    }

    /**
     * The body's length as its framing gives it: 0 when the response has none, else its {@code Content-Length}, or -1
     * when it is chunked or runs until the connection closes.
     */
    long framedLength() {
        if (!head.hasBody()) {
            return 0;
        }
        return head.chunked ? -1 : head.contentLength;
    }

    /**
     * Lets the rest of the body take as long as it takes (the streaming caller watches for silence itself), and
     * acknowledges each part as it arrives ({@link Http1Connection#quickAck}), so small SSE writes are not held. A body
     * that already ended has handed its connection to the pool, where another request may own it now: its
     * deadline is no longer ours to clear.
     */
    void withoutDeadline() {
        if (!ended) {
            connection.deadline(0);
            connection.quickAck(true);
        }
    }

    /**
     * Reads the rest of the body, which should be no more than its framing, within {@code bound}: true if it
     * ended (the connection is back in the pool when the response allowed keep-alive), false if it was
     * closed instead because the end did not arrive in time, broke, or more than {@link #MAX_DRAINED} bytes
     * came. Either way the body is done with: later reads fail.
     */
    boolean drainWithin(Duration bound) {
        if (closed) {
            return false;
        }
        if (!ended) {
            connection.deadline(System.nanoTime() + bound.toNanos());
            byte[] scratch = new byte[512];
            long drained = 0;
            try {
                int n;
                while (!ended && (n = read(scratch, 0, scratch.length)) >= 0) {
                    drained += n;
                    if (drained > MAX_DRAINED) {
                        break;
                    }
                }
            } catch (IOException e) {
                // not worth keeping: closed below
            }
        }
        boolean kept = ended && head.persistent();
        close();
        return kept;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the upstream response was closed");
        }
        if (ended) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        if (head.chunked && left == 0 && !nextChunk()) {
            return -1;
        }
        int wanted = left < 0 ? length : (int) Math.min(length, left);
        int n = connection.read(buffer, offset, wanted);
        if (n < 0) {
            if (left < 0) {          // no framing: the body ends when the connection does
                end();
                return -1;
            }
            throw new IOException("upstream closed the connection before the end of its response");
        }
        if (left > 0) {
            left -= n;
            if (left == 0 && !head.chunked) {
                end();
            }
        }
        return n;
    }

    /** Reads the next chunk's size line; false after the last (zero-size) chunk and its trailers. */
    private boolean nextChunk() throws IOException {
        if (head.chunked && left == 0 && sawChunk) {
            requireEmptyLine();  // the CRLF after the previous chunk's data
        }
        String sizeLine = connection.line();
        if (sizeLine == null) {
            throw new IOException("upstream closed the connection inside a chunked response");
        }
        int extension = sizeLine.indexOf(';');
        String hex = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim();
        try {
            left = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("upstream sent a malformed chunk size: " + hex, e);
        }
        if (left < 0) {
            throw new IOException("upstream sent a negative chunk size: " + hex);
        }
        sawChunk = true;
        if (left > 0) {
            return true;
        }
        String trailer;
        while ((trailer = connection.line()) != null && !trailer.isEmpty()) {
            // trailers carry nothing we use
        }
        end();
        return false;
    }

    private void requireEmptyLine() throws IOException {
        String line = connection.line();
        if (line == null || !line.isEmpty()) {
            throw new IOException("upstream sent a malformed chunked response");
        }
    }

    /**
     * {@code hook} runs whenever reading this body is about to wait for the network, until the body ends or is
     * closed (the connection may serve another request after that).
     */
    void beforeWaiting(Runnable hook) {
        if (!ended && !closed) {
            connection.beforeSocketRead(hook);
        }
    }

    private void end() {
        ended = true;
        connection.beforeSocketRead(null);
        connection.quickAck(false);
        if (head.persistent()) {
            release.accept(connection);
        } else {
            connection.close();
        }
    }

    /**
     * What can be read without waiting for the network: the rest of the current chunk that is already buffered,
     * or, between chunks, the next one's data when its framing and some of its data are buffered (the framing is
     * then consumed here). A reader of SSE asks this to learn whether the upstream's next event is already here,
     * so a burst of events (one chunk each, as servers send them) is relayed as one write. Never blocks.
     */
    @Override
    public int available() throws IOException {
        if (closed || ended) {
            return 0;
        }
        if (head.chunked && left == 0 && (!nextChunkBuffered() || !nextChunk())) {
            return 0;
        }
        int buffered = connection.buffered();
        return left < 0 ? buffered : (int) Math.min(left, buffered);
    }

    /**
     * Whether the next chunk's framing is wholly buffered (the CRLF after the previous chunk's data, then the size
     * line) and announces data, of which at least a byte is buffered too. Malformed framing answers false: the
     * next read reports it.
     */
    private boolean nextChunkBuffered() {
        int buffered = connection.buffered();
        int at = 0;
        if (sawChunk) {
            if (at < buffered && connection.peek(at) == '\r') {
                at++;
            }
            if (at >= buffered || connection.peek(at) != '\n') {
                return false;
            }
            at++;
        }
        StringBuilder sizeLine = new StringBuilder(8);
        for (; at < buffered && connection.peek(at) != '\n'; at++) {
            if (sizeLine.length() >= MAX_PEEKED_SIZE_LINE) {
                return false;
            }
            sizeLine.append((char) connection.peek(at));
        }
        if (at + 1 >= buffered) {   // the line's end, or any of the data, is not here yet
            return false;
        }
        String line = sizeLine.toString();
        int extension = line.indexOf(';');
        try {
            return Long.parseLong((extension >= 0 ? line.substring(0, extension) : line).trim(), 16) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!ended) {
                connection.beforeSocketRead(null);
                connection.close();
            }
        }
    }
}
