package dev.tollgate.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Minimal HTTP/1.1 framing for {@link FakeOpenAiUpstream}: request parsing and response/chunk writing. */
final class HttpWire {

    private static final int MAX_LINE = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private HttpWire() {
    }

    /** A parsed request line plus headers (names lower-cased). */
    record Head(String method, String target, String version, Map<String, List<String>> headers) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        boolean keepAlive() {
            String connection = header("connection");
            boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
            return !close && !"HTTP/1.0".equalsIgnoreCase(version);
        }

        boolean expectsContinue() {
            return "100-continue".equalsIgnoreCase(header("expect"));
        }
    }

    /** Reads a request head, or returns null on a clean end of stream before the first byte. */
    static Head readHead(InputStream in) throws IOException {
        String requestLine = readLine(in, true);
        while (requestLine != null && requestLine.isEmpty()) { // tolerate stray CRLF between requests
            requestLine = readLine(in, true);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("bad request line: " + requestLine);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        return new Head(parts[0], parts[1], parts[2], headers);
    }

    /** Reads the body announced by Content-Length or chunked Transfer-Encoding. */
    static byte[] readBody(InputStream in, Head head) throws IOException {
        String te = head.header("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in, false);
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    while (!readLine(in, false).isEmpty()) { // skip trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in, false);
            }
        }
        String length = head.header("content-length");
        if (length == null) {
            return new byte[0];
        }
        int n = Integer.parseInt(length.trim());
        byte[] body = in.readNBytes(n);
        if (body.length != n) {
            throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
        }
        return body;
    }

    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed mid-line");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("line too long");
            }
            line.write(b);
        }
    }

    /** Response writer. Not thread-safe: one responder at a time per connection. */
    static final class Out {
        private final OutputStream out;

        Out(OutputStream out) {
            this.out = out;
        }

        void head(int status, Map<String, String> headers) throws IOException {
            StringBuilder sb = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                    .append(reason(status)).append("\r\n");
            headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
            sb.append("\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        void continue100() throws IOException {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void raw(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        /** Writes and flushes one chunk of a chunked body. */
        void chunk(String text) throws IOException {
            byte[] data = text.getBytes(StandardCharsets.UTF_8);
            out.write(Integer.toHexString(data.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(CRLF);
            out.write(data);
            out.write(CRLF);
            out.flush();
        }

        void endChunks() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void flush() throws IOException {
            out.flush();
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }
}
