package dev.tollgate.functions.support;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP trace receiver on loopback: {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, decoded with the OTLP message classes, as a collector would. Keeps every span
 * it received, with its resource's {@code service.name}.
 */
public final class FakeOtlpCollector implements AutoCloseable {

    private final HttpServer server;
    private final List<Received> spans = new ArrayList<>();
    private final AtomicInteger exports = new AtomicInteger();

    private FakeOtlpCollector(HttpServer server) {
        this.server = server;
    }

    public static FakeOtlpCollector start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeOtlpCollector collector = new FakeOtlpCollector(server);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    String type = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (!"POST".equals(exchange.getRequestMethod()) || !"application/x-protobuf".equals(type)) {
                        exchange.sendResponseHeaders(415, -1);
                        return;
                    }
                    collector.receive(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
                    byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            return collector;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base URL, as {@code tollgate.tracing.endpoint} or {@code OTEL_EXPORTER_OTLP_ENDPOINT} take it. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private synchronized void receive(ExportTraceServiceRequest request) {
        exports.incrementAndGet();
        request.getResourceSpansList().forEach(resource -> {
            String service = attributes(resource.getResource().getAttributesList()).get("service.name").toString();
            resource.getScopeSpansList().forEach(scope -> scope.getSpansList()
                    .forEach(span -> spans.add(new Received(service, span))));
        });
    }

    public synchronized List<Received> spans() {
        return List.copyOf(spans);
    }

    /** How many export requests arrived. */
    public int exports() {
        return exports.get();
    }

    public synchronized void clear() {
        spans.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A span's attributes as plain Java values (strings, longs, booleans, lists of strings). */
    public static Map<String, Object> attributes(List<KeyValue> pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        pairs.forEach(pair -> values.put(pair.getKey(), value(pair.getValue())));
        return values;
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> value.getIntValue();
            case BOOL_VALUE -> value.getBoolValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(FakeOtlpCollector::value).toList();
            default -> value.toString();
        };
    }

    /** One span as received. */
    public record Received(String service, Span span) {
        public String name() {
            return span.getName();
        }

        public Map<String, Object> attributes() {
            return FakeOtlpCollector.attributes(span.getAttributesList());
        }

        public String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        public String parentId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }
    }
}
