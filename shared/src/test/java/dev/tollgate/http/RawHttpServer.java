package dev.tollgate.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A raw TCP server on 127.0.0.1 whose handler writes response bytes by hand, so tests can send exactly the
 * framing (chunk extensions, no Content-Length, stale closes, stalls) a real HTTP server library would tidy up.
 * Each accepted connection runs the handler on its own virtual thread; every parsed request is recorded.
 */
final class RawHttpServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    interface Handler {
        void serve(Conn conn) throws Exception;
    }

    /** One request as received: the raw head lines (request line first) and the exact body bytes. */
    record Request(List<String> headLines, byte[] body) {

        String requestLine() {
            return headLines.getFirst();
        }

        /** Header lines after the request line, as sent. */
        List<String> headers() {
            return headLines.subList(1, headLines.size());
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private RawHttpServer(ServerSocket serverSocket, Handler handler) {
        this.serverSocket = serverSocket;
        this.handler = handler;
        Thread.ofVirtual().name("raw-http-accept").start(this::acceptLoop);
    }

    static RawHttpServer start(Handler handler) {
        try {
            return new RawHttpServer(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A keep-alive server answering every request with {@code response}'s bytes until the client closes. */
    static RawHttpServer keepAlive(Function<Request, String> response) {
        return start(conn -> {
            Request request;
            while ((request = conn.readRequest()) != null) {
                conn.write(response.apply(request));
            }
        });
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort() + pathAndQuery);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** TCP connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** The next recorded request, waiting up to 5 s; null if none came. */
    Request takeRequest() throws InterruptedException {
        return requests.poll(5, TimeUnit.SECONDS);
    }

    /** Requests recorded and not yet taken. */
    int pendingRequests() {
        return requests.size();
    }

    /** An exception a handler threw other than the client going away, or null: a broken handler must fail the test. */
    Throwable handlerFailure() {
        return failures.peek();
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(RawHttpServer::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                accepted.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().name("raw-http-conn").start(() -> serve(socket));
            } catch (IOException e) {
                // the server socket was closed, or one accept failed: the loop condition decides
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            handler.serve(new Conn(socket));
        } catch (Exception e) {
            if (!closed && !(e instanceof IOException)) {
                failures.add(e);
            }
        } finally {
            sockets.remove(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** The server side of one connection, with just enough HTTP/1.1 parsing to read a request. */
    final class Conn {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads and records one request (Content-Length framing); null if the client closed before one began. */
        Request readRequest() throws IOException {
            List<String> lines = new ArrayList<>();
            String line = line();
            if (line == null) {
                return null;
            }
            int contentLength = 0;
            for (; !line.isEmpty(); line = requiredLine()) {
                lines.add(line);
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Integer.parseInt(lower.substring("content-length:".length()).trim());
                }
            }
            Request request = new Request(List.copyOf(lines), in.readNBytes(contentLength));
            if (request.body().length != contentLength) {
                throw new EOFException("client closed inside the request body");
            }
            requests.add(request);
            return request;
        }

        void write(String ascii) throws IOException {
            out.write(ascii.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /**
         * Blocks until the client closes or resets the connection (true) or sends more bytes (false), at most
         * {@code timeout}, after which it gives up (false): how a test sees that the client dropped the connection.
         */
        boolean awaitClientGone(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // a reset is the client going away too
            }
        }

        void close() {
            closeQuietly(socket);
        }

        /** Closes with a TCP RST instead of a FIN (SO_LINGER 0), like a server process killed or a proxy resetting. */
        void closeWithReset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        private String requiredLine() throws IOException {
            String line = line();
            if (line == null) {
                throw new EOFException("client closed inside the request head");
            }
            return line;
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("client closed inside a line");
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }
}
