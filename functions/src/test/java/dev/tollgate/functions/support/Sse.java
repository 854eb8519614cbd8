package dev.tollgate.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a streamed response line by line, as an SSE client would. */
public final class Sse implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedReader reader;
    private final InputStream in;

    public Sse(InputStream in) {
        this.in = in;
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next non-blank line, or null at end of stream. */
    public String nextLine() {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All remaining non-blank lines. */
    public List<String> rest() {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = nextLine()) != null) {
            lines.add(line);
        }
        return lines;
    }

    public static JsonNode data(String line) {
        if (!line.startsWith("data: ")) {
            throw new IllegalArgumentException("not a data line: " + line);
        }
        try {
            return JSON.readTree(line.substring(6));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the test is done with it
        }
    }
}
