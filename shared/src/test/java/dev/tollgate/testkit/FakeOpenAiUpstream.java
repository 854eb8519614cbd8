// Wire shapes (chat.completion, chat.completion.chunk SSE with the optional stream_options.include_usage chunk
// and the final "data: [DONE]", embeddings list, model list, error object) follow the OpenAI API reference for
// Chat Completions, Embeddings and Models.
package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 server on 127.0.0.1 that impersonates the OpenAI API, with scriptable faults.
 *
 * <p>Endpoints: {@code POST .../chat/completions} (buffered or SSE streaming), {@code POST .../embeddings}
 * (deterministic 8-dimension vectors), {@code GET .../models}; anything else gets an OpenAI-style 404. Each POST
 * consumes the next {@link #enqueue enqueued} {@link Behavior}, or the {@link #setDefault default} when none is
 * queued. Every request is recorded before it is answered.
 *
 * <p>It is hand-written over {@link ServerSocket} rather than {@code com.sun.net.httpserver.HttpServer} because the
 * JDK server cannot break a response abruptly (closing its body stream mid-stream ends the response cleanly) and
 * does not tell a handler that the client went away. Each connection gets a virtual thread, so hundreds of
 * concurrent requests are fine. Connections are kept alive unless the client sends {@code Connection: close}.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final Set<FakeConnection> connections = ConcurrentHashMap.newKeySet();
    private final Queue<Behavior> queued = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> recorded = new ArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong completionIds = new AtomicLong();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object disconnectLock = new Object();
    private volatile Behavior defaultBehavior = Behavior.defaults();
    private volatile boolean closed;
    private int disconnects;

    private FakeOpenAiUpstream(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        this.acceptor = Thread.ofVirtual().name("fake-openai-accept").start(this::acceptLoop);
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static FakeOpenAiUpstream start() {
        try {
            return new FakeOpenAiUpstream(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT/v1}: what an OpenAI client would use as its base URL. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Queues behaviors, consumed one per POST request in arrival order. */
    public void enqueue(Behavior... behaviors) {
        for (Behavior b : behaviors) {
            queued.add(Objects.requireNonNull(b));
        }
    }

    /** The behavior used when nothing is queued (initially {@link Behavior#defaults()}). */
    public void setDefault(Behavior behavior) {
        defaultBehavior = Objects.requireNonNull(behavior);
    }

    /** A snapshot of every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /**
     * The oldest request not yet taken, waiting up to {@code timeout} for one to arrive; null on timeout.
     * Requests are recorded as soon as their body has been read, before the response starts.
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Forgets recorded requests (both {@link #requests()} and the {@link #takeRequest} queue). */
    public void clearRequests() {
        synchronized (recorded) {
            recorded.clear();
            inbox.clear();
        }
    }

    /** Clears requests, queued behaviors and the disconnect count, and restores the default behavior. */
    public void reset() {
        clearRequests();
        queued.clear();
        defaultBehavior = Behavior.defaults();
        synchronized (disconnectLock) {
            disconnects = 0;
        }
    }

    /** TCP connections accepted since the server started. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** TCP connections currently open (keep-alive connections count while idle). */
    public int connectionsOpen() {
        return connections.size();
    }

    /** How many responses were cut short because the client closed the connection or a write to it failed. */
    public int clientDisconnects() {
        synchronized (disconnectLock) {
            return disconnects;
        }
    }

    /**
     * Waits until at least one response has been cut short by the client going away (see
     * {@link #clientDisconnects()}); true if that happened within {@code timeout}. This is noticed even while the
     * response is parked on a hold latch, because the server watches for the client's end of stream.
     */
    public boolean awaitClientDisconnect(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (disconnectLock) {
            while (disconnects == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(disconnectLock, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(FakeConnection::shutdown);
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
                accepted.incrementAndGet();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                FakeConnection connection = new FakeConnection(this, socket);
                connections.add(connection);
                if (closed) {
                    connection.shutdown();
                }
                Thread.ofVirtual().name("fake-openai-conn").start(connection);
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // give up on this one
                }
            }
        }
    }

    void record(RecordedRequest request) {
        synchronized (recorded) {
            recorded.add(request);
            inbox.add(request);
        }
    }

    Behavior nextBehavior() {
        Behavior next = queued.poll();
        return next != null ? next : defaultBehavior;
    }

    String nextCompletionId() {
        return "chatcmpl-fake-" + completionIds.incrementAndGet();
    }

    long nextRequestNumber() {
        return requestIds.incrementAndGet();
    }

    void clientDisconnected() {
        synchronized (disconnectLock) {
            disconnects++;
            disconnectLock.notifyAll();
        }
    }

    void connectionClosed(FakeConnection connection) {
        connections.remove(connection);
    }
}
