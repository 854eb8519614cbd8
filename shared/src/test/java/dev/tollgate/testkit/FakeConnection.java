package dev.tollgate.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One accepted TCP connection of {@link FakeOpenAiUpstream} (HTTP/1.1, keep-alive, pipelining tolerated).
 *
 * <p>The reader thread parses requests; each response is written by its own virtual thread. While a response is
 * being written the reader keeps reading, so when the client closes the connection mid-response the reader sees
 * end-of-stream at once and interrupts the responder, even if it is parked on a latch. That, or a failed write,
 * counts as a client disconnect. (So a client that half-closes its sending side after a request is treated as
 * gone; real HTTP clients do not do that.)
 */
final class FakeConnection implements Runnable {

    private static final System.Logger LOG = System.getLogger(FakeConnection.class.getName());

    private final FakeOpenAiUpstream server;
    private final Socket socket;
    private final InputStream in;
    private final HttpWire.Out out;
    private volatile Thread responder;
    private volatile boolean responding;
    private volatile boolean peerGone;
    private volatile boolean closedByUs;

    FakeConnection(FakeOpenAiUpstream server, Socket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new HttpWire.Out(new BufferedOutputStream(socket.getOutputStream(), 16 * 1024));
    }

    @Override
    public void run() {
        try {
            while (!closedByUs) {
                HttpWire.Head head;
                try {
                    head = HttpWire.readHead(in);
                } catch (IOException e) {
                    head = null;
                }
                if (head == null) {
                    peerClosed();
                    return;
                }
                awaitResponder();
                if (closedByUs) {
                    return;
                }
                if (head.expectsContinue()) {
                    out.continue100();
                }
                byte[] body = HttpWire.readBody(in, head);
                RecordedRequest request = new RecordedRequest(head.method(), head.target(), head.headers(),
                        new String(body, StandardCharsets.UTF_8));
                server.record(request);
                boolean keepAlive = head.keepAlive();
                responding = true;
                responder = Thread.ofVirtual().name("fake-openai-response").start(() -> respond(request, keepAlive));
            }
        } catch (IOException e) {
            peerClosed(); // the connection broke in the middle of a request
        } finally {
            awaitResponder();
            closeSocket(false);
            server.connectionClosed(this);
        }
    }

    private void respond(RecordedRequest request, boolean keepAlive) {
        try {
            new FakeExchange(server, this, request, keepAlive).run();
            if (!closedByUs) {
                out.flush();
                if (!keepAlive) {
                    closedByUs = true;
                    socket.shutdownOutput();
                    closeSocket(false);
                }
            }
        } catch (IOException | InterruptedException e) {
            if (!closedByUs) {
                server.clientDisconnected();
                closeSocket(true);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "fake upstream failed answering " + request.path(), e);
            closeSocket(true);
        } finally {
            responding = false;
        }
    }

    /** The client's side of the connection has ended: abort the response in progress, if any. */
    private void peerClosed() {
        if (closedByUs) {
            return;
        }
        peerGone = true;
        Thread current = responder;
        if (current != null && responding) {
            current.interrupt();
        }
    }

    private void awaitResponder() {
        Thread current = responder;
        if (current == null) {
            return;
        }
        try {
            current.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The response writer, after checking that the client is still there. */
    HttpWire.Out out() throws IOException {
        checkPeer();
        return out;
    }

    /** Sleeps, failing fast if the client goes away meanwhile. */
    void pause(Duration duration) throws IOException, InterruptedException {
        checkPeer();
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration);
        }
        checkPeer();
    }

    /** Blocks until the latch opens (or the safety timeout passes), failing fast if the client goes away. */
    void hold(CountDownLatch latch) throws IOException, InterruptedException {
        checkPeer();
        if (!latch.await(Behavior.HOLD_SAFETY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "fake upstream hold timed out; continuing");
        }
        checkPeer();
    }

    /**
     * Flushes what was written and closes the connection without finishing the response (no terminating chunk,
     * fewer bytes than Content-Length), so the client's read fails. This is a FIN, not an RST: an RST makes the
     * client's kernel drop bytes it has received but the application has not read yet, so the pieces sent before
     * the break would arrive only sometimes.
     */
    void truncate() throws IOException {
        out.flush();
        closedByUs = true;
        try {
            socket.shutdownOutput();
        } finally {
            closeSocket(false);
        }
    }

    /** Server shutdown: stop everything on this connection. */
    void shutdown() {
        closedByUs = true;
        Thread current = responder;
        if (current != null) {
            current.interrupt();
        }
        closeSocket(true);
    }

    private void checkPeer() throws IOException {
        if (peerGone) {
            throw new IOException("client closed the connection");
        }
    }

    private void closeSocket(boolean abortive) {
        closedByUs = true;
        try {
            if (abortive && !socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // already broken
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
