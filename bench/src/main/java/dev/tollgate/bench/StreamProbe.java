package dev.tollgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Streaming latency as a client sees it, straight at the upstream and through Tollgate, in alternating blocks:
 * {@value #BLOCK} requests to the upstream, then {@value #BLOCK} to Tollgate, and so on, so both sides see the
 * same machine. Two halves run one after the other drift apart on a shared host whose speed changes within a
 * minute; strict one-by-one alternation is no better, because then Tollgate is idle (and its caches cold) for a
 * whole stream before each of its requests while the upstream never is. Within a block, requests follow each
 * other as in a busy client; the first of each block is sent but not counted.
 *
 * <p>For each request it times the first SSE {@code data:} line (time to first token, not just to the response
 * headers), the end of the stream, and the longest pause between two consecutive events; a gateway that
 * buffered chunks would show a first token late and one long pause followed by a burst.
 *
 * <p>HTTP/1.1 on one plain socket per target, kept alive across the requests as the OpenAI SDKs keep theirs.
 * Headers and body leave in two writes, as httpx (the Python SDK's client) sends them.
 * Usage: {@code StreamProbe <direct url> <gateway url>[,<gateway url>...] <key> <json body> <requests each way>
 * [raw.csv]}; prints lines of milliseconds: {@code direct ttfb_p50 ttfb_p99 total_p50 total_p99 maxgap_p50
 * maxgap_p99}, the same for {@code gateway}, and {@code added ttfb_p50 total_p50} (gateway minus direct). With
 * several gateways (two builds compared side by side, bench/compare.sh) they are numbered
 * ({@code gateway1}, {@code added1}, ...) and take their blocks in turn. With a sixth argument it also writes
 * every counted request as {@code target,start_ms,ttfb_ms,total_ms,maxgap_ms}.
 */
public final class StreamProbe {

    private static final int BLOCK = 10;

    private StreamProbe() {
    }

    public static void main(String[] args) throws IOException {
        URI direct = URI.create(args[0]);
        String[] gatewayUrls = args[1].split(",");
        String key = args[2];
        byte[] body = args[3].getBytes(StandardCharsets.UTF_8);
        int n = Integer.parseInt(args[4]);
        int sides = gatewayUrls.length + 1;
        double[][][] results = new double[sides][3][n];
        String[] names = new String[sides];
        Target[] targets = new Target[sides];
        StringBuilder raw = new StringBuilder("target,start_ms,ttfb_ms,total_ms,maxgap_ms\n");
        long t0 = System.nanoTime();
        try {
            names[0] = "direct";
            targets[0] = new Target(direct, null);
            for (int g = 1; g < sides; g++) {
                names[g] = sides == 2 ? "gateway" : "gateway" + g;
                targets[g] = new Target(URI.create(gatewayUrls[g - 1]), key);
            }
            for (int done = 0; done < n; done += BLOCK - 1) {
                int count = Math.min(BLOCK - 1, n - done);
                for (int side = 0; side < sides; side++) {
                    block(targets[side], body, results[side], done, count, names[side], raw, t0);
                }
            }
        } finally {
            for (Target target : targets) {
                if (target != null) {
                    target.close();
                }
            }
        }
        if (args.length > 5) {
            Files.writeString(Path.of(args[5]), raw);
        }
        for (int side = 0; side < sides; side++) {
            System.out.println(names[side] + " " + summary(results[side]));
        }
        for (int side = 1; side < sides; side++) {
            System.out.printf("%s %.2f %.2f%n", names[side].replace("gateway", "added"),
                    percentile(results[side][0], 50) - percentile(results[0][0], 50),
                    percentile(results[side][1], 50) - percentile(results[0][1], 50));
        }
    }

    /** One unrecorded request, then {@code count} recorded ones into {@code into[.][from..]}. */
    private static void block(Target target, byte[] body, double[][] into, int from, int count, String name,
                              StringBuilder raw, long t0) throws IOException {
        target.once(body);
        for (int i = from; i < from + count; i++) {
            double start = (System.nanoTime() - t0) / 1e6;
            double[] one = target.once(body);
            record(into, i, one);
            raw.append(String.format("%s,%.3f,%.3f,%.3f,%.3f%n", name, start, one[0], one[1], one[2]));
        }
    }

    private static void record(double[][] into, int i, double[] one) {
        for (int k = 0; k < 3; k++) {
            into[k][i] = one[k];
        }
    }

    private static String summary(double[][] s) {
        return String.format("%.2f %.2f %.2f %.2f %.2f %.2f", percentile(s[0], 50), percentile(s[0], 99),
                percentile(s[1], 50), percentile(s[1], 99), percentile(s[2], 50), percentile(s[2], 99));
    }

    /** One kept-alive connection to one server. */
    private static final class Target implements AutoCloseable {
        private final URI url;
        private final String key;
        private final Socket socket;
        private final BufferedReader in;

        Target(URI url, String key) throws IOException {
            this.url = url;
            this.key = key;
            this.socket = new Socket(url.getHost(), url.getPort());
            socket.setTcpNoDelay(true);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        /** {ms to first data line, ms to end of stream, longest ms between two data lines}. */
        double[] once(byte[] body) throws IOException {
            String head = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
                    + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            // Anything but a stream (a 429 from the per-account stream cap, say) has no data line to wait for.
            String status = in.readLine();
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                throw new IOException(url + " answered " + status);
            }
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

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
