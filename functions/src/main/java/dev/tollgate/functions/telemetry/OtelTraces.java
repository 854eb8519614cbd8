package dev.tollgate.functions.telemetry;

import dev.tollgate.functions.config.TracingConfig;
import dev.tollgate.telemetry.Attempt;
import dev.tollgate.telemetry.AttemptSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;

/**
 * Traces with the OpenTelemetry SDK, exported over OTLP/HTTP (protobuf) in batches: one server span per
 * {@code /v1} request and, under it, one client span per upstream attempt with the GenAI semantic conventions
 * ({@link GenAi}). Built only when {@code tollgate.tracing.enabled} is true.
 */
public final class OtelTraces implements ServerTraces, AutoCloseable {

    private static final String SCOPE = "dev.tollgate";

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    public OtelTraces(SpanExporter exporter, String serviceName, TracingConfig config) {
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                        .setScheduleDelay(config.getExportEvery())
                        .setExporterTimeout(config.getExportTimeout())
                        .build())
                .build();
        this.tracer = provider.get(SCOPE);
    }

    /** The OTLP/HTTP exporter on the JDK's HttpClient, to {@code url}, with the configured headers. */
    public static SpanExporter otlpHttp(String url, TracingConfig config) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(url)
                .setTimeout(config.getExportTimeout());
        config.getHeaders().forEach(builder::addHeader);
        return builder.build();
    }

    @Override
    public ServerTrace start(String method, String route) {
        Span span = tracer.spanBuilder(method + " " + route)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method)
                .setAttribute("http.route", route)
                .startSpan();
        return new Server(span);
    }

    /** Exports what is still buffered (a shutdown, a Lambda freeze). */
    public void flush() {
        provider.forceFlush().join(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    private final class Server implements ServerTrace {
        private final Span span;
        private final Context parent;

        Server(Span span) {
            this.span = span;
            this.parent = Context.root().with(span);
        }

        @Override
        public AttemptSpan attempt(Attempt attempt) {
            return new GenAiSpan(GenAi.start(tracer, parent, attempt));
        }

        @Override
        public void end(int status, Outcome outcome) {
            span.setAttribute("http.response.status_code", status);
            if (outcome != null) {
                GenAi.outcome(span, outcome);
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute("error.type", Integer.toString(status));
            }
            span.end();
        }

        @Override
        public boolean recording() {
            return true;
        }
    }

    /** One attempt's span: ended once, by whichever comes first. */
    private static final class GenAiSpan implements AttemptSpan {
        private final Span span;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        GenAiSpan(Span span) {
            this.span = span;
        }

        @Override
        public void failed(String errorType) {
            if (ended.compareAndSet(false, true)) {
                span.setAttribute("error.type", errorType);
                span.setStatus(StatusCode.ERROR);
                span.end();
            }
        }

        @Override
        public void answered(Answer answer) {
            if (ended.compareAndSet(false, true)) {
                GenAi.answer(span, answer);
                span.end();
            }
        }
    }
}
