package dev.tollgate.upstream;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads Server-Sent Events as the OpenAI streaming API sends them: {@code data:} lines, events ended by
 * a blank line, {@code :} comment lines ignored (servers use them as keep-alives), {@code [DONE]} last.
 * Multi-line data is joined with newlines, as the SSE specification says.
 */
public final class SseEvents {

    /** Returned for the {@code data: [DONE]} sentinel. The identity of this string is what callers test. */
    public static final String DONE = new String("[DONE]");

    private final BufferedReader reader;

    public SseEvents(BufferedReader reader) {
        this.reader = reader;
    }

    /** The next event's data, {@link #DONE}, or {@code null} at end of input. */
    public String next() throws IOException {
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return finish(data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            if (line.startsWith("data:")) {
                String value = line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
            // event:, id:, retry: carry nothing the OpenAI chunk format uses.
        }
        return data == null ? null : finish(data.toString());
    }

    /**
     * Whether input is already read from the network and waiting here, so the next {@link #next()} will probably
     * not wait for the upstream (it may, if the upstream is mid-way through writing an event).
     */
    public boolean ready() {
        try {
            return reader.ready();
        } catch (IOException closed) {
            return false;
        }
    }

    private static String finish(String data) {
        return "[DONE]".equals(data.strip()) ? DONE : data;
    }
}
