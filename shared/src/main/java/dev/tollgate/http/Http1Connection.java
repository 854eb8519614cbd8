package dev.tollgate.http;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;

/** One HTTP/1.1 connection: writes a request, reads a response head; the body is read by {@link Http1Body}. */
final class Http1Connection implements AutoCloseable, DeadlineWatch.Watched {

    private static final int MAX_HEAD = 64 * 1024;
    private static final boolean QUICK_ACK_SUPPORTED = quickAckSupported();

    private final Socket socket;
    private final ReadBuffer in;
    private final OutputStream out;
    /** Guards {@link #deadline} against {@link DeadlineWatch} closing a connection whose owner just moved on. */
    private final Object deadlineLock = new Object();
    private volatile long deadline;
    private volatile boolean closedAtDeadline;
    private long idleSince;
    private boolean answered;
    private boolean quickAck;
    private Runnable beforeSocketRead;

    private static boolean quickAckSupported() {
        try (Socket probe = new Socket()) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Http1Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new ReadBuffer(new DeadlineInput(socket.getInputStream()), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    static Http1Connection open(String host, int port, Duration connectTimeout, long deadline) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            long left = Math.min(connectTimeout.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, Math.max(1, left)));
            return new Http1Connection(socket);
        } catch (SocketTimeoutException e) {
            socket.close();
            HttpConnectTimeoutException timeout = new HttpConnectTimeoutException("connect to " + host + ":" + port + " timed out");
            timeout.initCause(e);
            throw timeout;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The request bytes: head and body in one array, so a small request leaves in one segment. */
    static byte[] request(URI uri, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append("POST ").append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() > 0) {
            head.append(':').append(uri.getPort());
        }
        head.append("\r\nUser-Agent: Tollgate\r\nContent-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(checked(name)).append(": ").append(checked(value)).append("\r\n"));
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    private static String checked(String headerPart) {
        if (headerPart.indexOf('\r') >= 0 || headerPart.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header name or value contains a line break");
        }
        return headerPart;
    }

    /**
     * While on, every read from the socket first asks the kernel to acknowledge at once what it receives
     * ({@code TCP_QUICKACK}, Linux; elsewhere a no-op). A streamed body needs it: Linux delays ACKs on a
     * connection that has carried a request and its answer, and an upstream with Nagle's algorithm on holds
     * each small SSE write until the previous one is acknowledged, so a reused connection would stall events
     * by up to 40 ms. The kernel clears the flag by itself, hence once per read.
     */
    void quickAck(boolean on) {
        this.quickAck = on && QUICK_ACK_SUPPORTED;
    }

    /**
     * Reads and writes from now on fail with {@link HttpTimeoutException} at {@code nanoTime} (0: no limit). The
     * deadline is kept by closing the socket when it passes ({@link DeadlineWatch}): that ends a blocked read and a
     * blocked write alike (a socket write has no timeout of its own, and against a server that stopped reading a
     * large request would block until the server went away).
     */
    void deadline(long nanoTime) {
        synchronized (deadlineLock) {
            deadline = nanoTime;
        }
        if (nanoTime != 0) {
            DeadlineWatch.SHARED.watch(this);
        } else {
            DeadlineWatch.SHARED.unwatch(this);
        }
    }

    /** Closes the connection if its deadline has passed at {@code now}; true if it did (or was closed already). */
    @Override
    public boolean closeIfPastDeadline(long now) {
        if (!passed(deadline, now)) {
            return socket.isClosed();   // the common case, without the lock
        }
        synchronized (deadlineLock) {
            if (!passed(deadline, now)) {
                return socket.isClosed();
            }
            closedAtDeadline = true;
            close();
            return true;
        }
    }

    private boolean pastDeadline() {
        return closedAtDeadline || passed(deadline, System.nanoTime());
    }

    /** Whether the deadline {@code at} ({@link System#nanoTime()}, 0 for none) has passed at {@code now}. */
    private static boolean passed(long at, long now) {
        return at != 0 && now - at >= 0;
    }

    void send(byte[] request) throws IOException {
        answered = false;
        checkDeadline();   // a slow connect or a retry on a fresh connection may have used it up: send nothing then
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            if (pastDeadline()) {
                throw timedOut(e);
            }
            throw new ClosedBeforeAnswer(e);
        }
    }

    Http1Head readHead() throws IOException {
        while (true) {
            String statusLine = line();
            if (statusLine == null) {
                throw new ClosedBeforeAnswer(null);
            }
            answered = true;
            Http1Head head = Http1Head.parse(statusLine);
            String line;
            while ((line = line()) != null && !line.isEmpty()) {
                head.header(line);
            }
            if (line == null) {
                throw new IOException("upstream closed the connection inside the response headers");
            }
            if (head.status >= 200 || head.status == 101) {
                return head;
            }
            // 1xx interim responses (100 Continue, 103 Early Hints) precede the real one.
        }
    }

    /** One CRLF-terminated line without its terminator, or null at a clean end of input before any byte. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = readByte()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return Http1Client.ascii(bytes, length);
            }
            if (line.size() >= MAX_HEAD) {
                throw new IOException("upstream sent a header line longer than " + MAX_HEAD + " bytes");
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new IOException("upstream closed the connection inside a line");
    }

    private int readByte() throws IOException {
        try {
            return in.read();
        } catch (HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw answered ? e : new ClosedBeforeAnswer(e);
        }
    }

    int read(byte[] buffer, int offset, int length) throws IOException {
        return in.read(buffer, offset, length);
    }

    /** Bytes already read from the socket and waiting here: what reads can take without waiting for the network. */
    int buffered() {
        return in.buffered();
    }

    /** The waiting byte at {@code index} (0 to {@link #buffered()} - 1), not consumed. */
    int peek(int index) {
        return in.peek(index);
    }

    /**
     * Runs before each read from the socket, that is whenever the reader is about to wait for the network (null:
     * nothing). A streamed body sets it so that what the relay holds goes to its caller before it waits.
     */
    void beforeSocketRead(Runnable hook) {
        beforeSocketRead = hook;
    }

    /**
     * The read buffer: it tells what it holds without asking the socket (no system call), and takes no lock. A
     * {@code BufferedInputStream} subclass would fall back to {@code synchronized} on JDK 21-23 and hold that monitor
     * through the blocking socket read, pinning a virtual thread's carrier. One thread uses a connection at a time.
     */
    private static final class ReadBuffer extends InputStream {
        private final InputStream in;
        private final byte[] buf;
        private int pos;
        private int count;

        ReadBuffer(InputStream in, int size) {
            this.in = in;
            this.buf = new byte[size];
        }

        int buffered() {
            return count - pos;
        }

        int peek(int index) {
            return buf[pos + index] & 0xff;
        }

        @Override
        public int read() throws IOException {
            if (pos >= count && fill() <= 0) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (pos >= count) {
                if (length >= buf.length) {
                    return in.read(target, offset, length);   // a large read skips the copy
                }
                if (fill() <= 0) {
                    return -1;
                }
            }
            int n = Math.min(length, count - pos);
            System.arraycopy(buf, pos, target, offset, n);
            pos += n;
            return n;
        }

        private int fill() throws IOException {
            pos = 0;
            count = 0;
            int n = in.read(buf, 0, buf.length);
            if (n > 0) {
                count = n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return buffered() + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private void beforeSocketRead() throws IOException {
        Runnable hook = beforeSocketRead;
        if (hook != null) {
            hook.run();
        }
        checkDeadline();
        if (quickAck) {
            socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        }
    }

    private void checkDeadline() throws IOException {
        if (pastDeadline()) {
            throw timedOut(null);
        }
    }

    /**
     * Checks the deadline before every read from the socket (each refill of the buffer) and reports a read that the
     * deadline ended ({@link DeadlineWatch} closed the socket) as {@link HttpTimeoutException}, so the deadline bounds
     * the whole answer: a timeout armed once per line let a server trickling a line byte by byte, each byte within
     * the timeout, hold the caller far past it.
     */
    private final class DeadlineInput extends FilterInputStream {
        DeadlineInput(InputStream socketIn) {
            super(socketIn);
        }

        @Override
        public int read() throws IOException {
            try {
                beforeSocketRead();
                return in.read();
            } catch (HttpTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw pastDeadline() ? timedOut(e) : e;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                beforeSocketRead();
                return in.read(buffer, offset, length);
            } catch (HttpTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw pastDeadline() ? timedOut(e) : e;
            }
        }
    }

    private static HttpTimeoutException timedOut(Throwable cause) {
        HttpTimeoutException e = new HttpTimeoutException("no answer from upstream in time");
        e.initCause(cause);
        return e;
    }

    /** The connection goes back to the pool: no deadline of the last exchange applies to it. */
    void idleNow() {
        deadline(0);
        idleSince = System.nanoTime();
    }

    /** Still worth reusing: idle for less than {@code maxIdle} and nothing unexpected waiting to be read. */
    boolean reusable(Duration maxIdle) {
        try {
            return !socket.isClosed() && System.nanoTime() - idleSince < maxIdle.toNanos() && in.available() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        DeadlineWatch.SHARED.unwatch(this);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /** The connection ended before any byte of an answer: on a pooled connection, the server closed it while idle. */
    static final class ClosedBeforeAnswer extends IOException {
        ClosedBeforeAnswer(IOException cause) {
            super("upstream closed the connection before answering", cause);
        }
    }
}
