package dev.tollgate.http;

import java.io.IOException;
import java.util.Locale;

/** Status line and the headers that decide how the body is framed and whether the connection is kept. */
final class Http1Head {
    final int status;
    final boolean http10;
    long contentLength = -1;
    boolean chunked;
    boolean close;
    boolean keepAlive;

    private Http1Head(int status, boolean http10) {
        this.status = status;
        this.http10 = http10;
    }

    static Http1Head parse(String statusLine) throws IOException {
        // HTTP/1.1 200 OK
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("upstream did not answer HTTP/1.x: " + statusLine.substring(0, Math.min(40, statusLine.length())));
        }
        try {
            return new Http1Head(Integer.parseInt(statusLine.substring(9, 12)), statusLine.charAt(7) == '0');
        } catch (NumberFormatException e) {
            throw new IOException("upstream sent a malformed status line", e);
        }
    }

    void header(String line) throws IOException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "content-length" -> {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("upstream sent a malformed Content-Length", e);
                }
            }
            case "transfer-encoding" -> chunked = value.endsWith("chunked");
            case "connection" -> {
                close |= value.contains("close");
                keepAlive |= value.contains("keep-alive");
            }
            default -> {
            }
        }
    }

    /** The connection can carry another request after this response's body. */
    boolean persistent() {
        return !close && (!http10 || keepAlive) && (chunked || contentLength >= 0 || !hasBody());
    }

    boolean hasBody() {
        return status != 204 && status != 304 && status >= 200;
    }
}
