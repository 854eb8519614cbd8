package dev.tollgate.upstream;

import dev.tollgate.metrics.Metrics;
import dev.tollgate.metrics.UpstreamError;
import dev.tollgate.telemetry.AttemptScope;
import dev.tollgate.telemetry.AttemptSpan;
import dev.tollgate.upstream.UpstreamException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The parts of an HTTP upstream call every provider shares: I/O failures sorted into
 * {@link UpstreamException.Kind}s, retries before the first byte, and error bodies cut to a readable size. It lives
 * beside the provider interfaces because providers never import each other. Each attempt is a span when the
 * caller bound a traced model to the thread ({@link AttemptScope}).
 */
public final class UpstreamCalls {

    public static final int MAX_ERROR_BODY = 64 * 1024;

    private final UpstreamSettings settings;
    private final Metrics metrics;

    public UpstreamCalls(UpstreamSettings settings) {
        this(settings, Metrics.NONE);
    }

    /** @param metrics told of every failed attempt and every retry ({@code tollgate.upstream.errors}, {@code .retries}) */
    public UpstreamCalls(UpstreamSettings settings, Metrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** One exchange with the upstream. */
    @FunctionalInterface
    public interface Exchange<T> {
        T run() throws IOException, InterruptedException;
    }

    /** One attempt, which may fail with an {@link UpstreamException}. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws UpstreamException;
    }

    public <T> T send(Exchange<T> exchange) throws UpstreamException {
        try {
            return exchange.run();
        } catch (HttpConnectTimeoutException e) {
            throw failure(Kind.UNREACHABLE, "connect to upstream " + settings.name() + " timed out", e);
        } catch (HttpTimeoutException e) {
            throw failure(Kind.TIMEOUT, "upstream " + settings.name() + " did not answer in time", e);
        } catch (ConnectException e) {
            throw failure(Kind.UNREACHABLE, "cannot connect to upstream " + settings.name() + " at " + settings.baseUrl(), e);
        } catch (IOException e) {
            throw failure(Kind.UNREACHABLE, "upstream " + settings.name() + " connection failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(Kind.UNREACHABLE, "interrupted while calling upstream " + settings.name(), e);
        }
    }

    /** Runs {@code attempt}, again after a doubling pause while it fails retryably, at most {@code maxRetries} more times. */
    public <T> T withRetries(Attempt<T> attempt) throws UpstreamException {
        UpstreamException last = null;
        for (int i = 0; i <= settings.maxRetries(); i++) {
            if (i > 0) {
                backoff(i);
                metrics.upstreamRetry(settings.name());
            }
            AttemptSpan span = AttemptScope.begin();
            try {
                T answer = attempt.run();
                AttemptScope.succeeded(span);
                return answer;
            } catch (UpstreamException e) {
                span.failed(errorType(e));
                last = e;
                metrics.upstreamError(settings.name(), errorKind(e));
                if (!e.retryable()) {
                    throw e;
                }
            } catch (RuntimeException e) {
                span.failed(e.getClass().getName());
                throw e;
            }
        }
        throw last;
    }

    /** The {@code kind} tag of {@code tollgate.upstream.errors} for a failure. */
    public static UpstreamError errorKind(UpstreamException e) {
        return switch (e.kind()) {
            case UNREACHABLE -> UpstreamError.CONNECT;
            case TIMEOUT -> UpstreamError.TIMEOUT;
            case PROTOCOL -> UpstreamError.PROTOCOL;
            case ERROR_STATUS -> e.status() >= 500 ? UpstreamError.STATUS_5XX : UpstreamError.STATUS_4XX;
        };
    }

    /** A failure as {@code error.type} says it: the upstream's HTTP status, or what kind of failure it was. */
    public static String errorType(UpstreamException e) {
        return switch (e.kind()) {
            case ERROR_STATUS -> Integer.toString(e.status());
            case TIMEOUT -> "timeout";
            case UNREACHABLE -> "unreachable";
            case PROTOCOL -> "protocol";
        };
    }

    public UpstreamException failure(Kind kind, String message, Throwable cause) {
        return new UpstreamException(kind, settings.name(), 0, "", message, cause);
    }

    /** An answer that is not the upstream's wire format. */
    public UpstreamException protocol(String what, Throwable cause) {
        return failure(Kind.PROTOCOL, "upstream " + settings.name() + " answered " + what, cause);
    }

    /** The error status of a streamed request, with what its body says (read only as far as the limit). */
    public UpstreamException status(int status, InputStream body) {
        String error;
        try (body) {
            error = truncate(body.readNBytes(MAX_ERROR_BODY));
        } catch (IOException e) {
            error = "";
        }
        return UpstreamException.status(settings.name(), status, error);
    }

    public static String truncate(byte[] body) {
        int length = Math.min(body.length, MAX_ERROR_BODY);
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    private void backoff(int retry) throws UpstreamException {
        Duration pause = settings.retryBackoff().multipliedBy(1L << Math.min(retry - 1, 6));
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(Kind.UNREACHABLE, "interrupted while waiting to retry upstream " + settings.name(), e);
        }
    }
}
