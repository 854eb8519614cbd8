package dev.tollgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streaming latency as a client sees it: sends {@code n} streamed chat requests one after the other and
 * times, for each, the first SSE {@code data:} line (time to first token, not just to the response
 * headers), the end of the stream, and the longest pause between two consecutive events. Run once
 * straight at the upstream and once through Tollgate, the differences are what Tollgate adds; a gateway
 * that buffered chunks would show a first token late and one long pause followed by a burst.
 *
 * <p>HTTP/1.1 on a plain socket kept alive across the requests, as the OpenAI SDKs keep their connections,
 * so both runs pay the same client costs and neither pays a TCP handshake per stream on the client side.
 * Usage: {@code StreamProbe <url> <key or -> <json body> <requests>}; prints one line of milliseconds:
 * {@code ttfb_p50 ttfb_p99 total_p50 total_p99 maxgap_p50 maxgap_p99}.
 */
public final class StreamProbe {

    private StreamProbe() {
    }

    public static void main(String[] args) throws IOException {
        URI url = URI.create(args[0]);
        String key = "-".equals(args[1]) ? null : args[1];
        byte[] body = args[2].getBytes(StandardCharsets.UTF_8);
        int n = Integer.parseInt(args[3]);
        double[] ttfb = new double[n];
        double[] total = new double[n];
        double[] maxGap = new double[n];
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < n; i++) {
                double[] one = once(socket, in, url, key, body);
                ttfb[i] = one[0];
                total[i] = one[1];
                maxGap[i] = one[2];
            }
        }
        System.out.printf("%.2f %.2f %.2f %.2f %.2f %.2f%n", percentile(ttfb, 50), percentile(ttfb, 99),
                percentile(total, 50), percentile(total, 99), percentile(maxGap, 50), percentile(maxGap, 99));
    }

    /** {ms to first data line, ms to end of stream, longest ms between two data lines}. */
    private static double[] once(Socket socket, BufferedReader in, URI url, String key, byte[] body) throws IOException {
        String head = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        long start = System.nanoTime();
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        long first = 0;
        long last = 0;
        long gap = 0;
        String line;
        while ((line = in.readLine()) != null) {
            // Headers and chunk-size lines never start with "data:", so they are skipped.
            if (!line.startsWith("data:")) {
                continue;
            }
            long now = System.nanoTime();
            if (first == 0) {
                first = now;
            } else {
                gap = Math.max(gap, now - last);
            }
            last = now;
            if (line.contains("[DONE]")) {
                break;
            }
        }
        if (first == 0) {
            throw new IOException("no data line from " + url);
        }
        // The rest of the response: the end of the chunked body ("0" and an empty line), so the connection
        // is ready for the next request.
        while ((line = in.readLine()) != null && !line.equals("0")) {
            // the CRLF that ends the [DONE] chunk
        }
        in.readLine();
        return new double[] {(first - start) / 1e6, (last - start) / 1e6, gap / 1e6};
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
