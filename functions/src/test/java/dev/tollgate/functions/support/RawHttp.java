package dev.tollgate.functions.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 connection driven byte by byte, for what no HTTP client will send: dripped heads, broken framing,
 * bodies that lie about their length. Reads wait with a socket timeout, never a sleep.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    public static RawHttp connect(URI server) {
        try {
            Socket socket = new Socket(server.getHost(), server.getPort());
            socket.setTcpNoDelay(true);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends, and reports false instead of throwing when the server has already closed the connection. */
    public boolean trySend(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits up to {@code wait} for the server to send something or close. Returns null when it did neither (the
     * connection is still open and silent), otherwise everything it sent until it closed, possibly empty.
     */
    public String readUntilClosed(Duration wait) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                int n = in.read(buffer);
                if (n < 0) {
                    return all.toString(StandardCharsets.UTF_8);
                }
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return all.size() == 0 ? null : all.toString(StandardCharsets.UTF_8);
        } catch (SocketException e) {
            return all.toString(StandardCharsets.UTF_8); // reset by the server: closed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response framed by its Content-Length, leaving the connection open. */
    public Response readResponse(Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            String head = readHead();
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            return new Response(head, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** A response's head (status line and headers) and its body. */
    public record Response(String head, String body) {
        public int status() {
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
