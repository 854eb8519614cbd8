package dev.tollgate.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** {@link UpstreamHttp} on {@code java.net.http}: HTTP/2 over TLS, with the JDK's certificate checks. */
public final class JdkUpstreamHttp implements UpstreamHttp {

    private final HttpClient http;

    public JdkUpstreamHttp(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Buffered post(URI uri, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(uri, headers, body, timeout), HttpResponse.BodyHandlers.ofByteArray());
        return new Buffered(response.statusCode(), response.body());
    }

    @Override
    public Streamed postStreamed(URI uri, Map<String, String> headers, byte[] body, Duration headersTimeout)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request(uri, headers, body, headersTimeout),
                HttpResponse.BodyHandlers.ofInputStream());
        return new Streamed(response.statusCode(), new WaitAwareBody(response.body()));
    }

    private static HttpRequest request(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return builder.build();
    }
}
