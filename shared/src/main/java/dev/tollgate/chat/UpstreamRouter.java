package dev.tollgate.chat;

import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.upstream.UpstreamStream;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.ModelLister;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamHealth;
import dev.tollgate.upstream.UpstreamSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import dev.tollgate.telemetry.Attempt;
import dev.tollgate.telemetry.AttemptScope;
import dev.tollgate.telemetry.AttemptSpan;
import dev.tollgate.telemetry.RequestContexts;
import dev.tollgate.telemetry.RequestTrace;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a model's upstream, falling back to the next model of its route when an upstream fails before
 * the first byte, and turns the last failure into the error the caller sees.
 */
public final class UpstreamRouter {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRouter.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = dev.tollgate.json.JsonBuffers.mapper();

    private final Map<String, ChatProvider> providers;
    private final Map<String, UpstreamSettings> settings;
    private final UpstreamHealth health;
    private final Metrics metrics;
    private final RequestContexts contexts;

    public UpstreamRouter(Map<String, ChatProvider> providers, Map<String, UpstreamSettings> settings) {
        this(providers, settings, new UpstreamHealth(settings, Clock.systemUTC()));
    }

    /** @param health told of every call's outcome (what {@code GET /ready} reports) */
    public UpstreamRouter(Map<String, ChatProvider> providers, Map<String, UpstreamSettings> settings,
                          UpstreamHealth health) {
        this(providers, settings, health, Metrics.NONE, RequestContexts.NONE);
    }

    /**
     * @param metrics  told how long each upstream took: to a stream's head ({@code tollgate.upstream.first_byte},
     *                 streams only, since a buffered answer is read whole) and to the end of the answer
     * @param contexts the calling request's trace: each attempt at an upstream becomes a span of it
     */
    public UpstreamRouter(Map<String, ChatProvider> providers, Map<String, UpstreamSettings> settings,
                          UpstreamHealth health, Metrics metrics, RequestContexts contexts) {
        this.metrics = metrics;
        this.contexts = contexts;
        this.providers = Map.copyOf(providers);
        this.settings = Map.copyOf(settings);
        this.health = health;
    }

    /** One attempt against one model's upstream. */
    @FunctionalInterface
    public interface Call<T> {
        T call(ChatProvider provider, ModelEntry model) throws UpstreamException;
    }

    /**
     * A successful answer, the model that produced it, and the models of the route tried before it.
     *
     * @param failures the models that failed before the first byte, in order, each with why
     * @param span     the span of the attempt that answered, still open: whoever has the whole answer ends it
     */
    public record Answer<T>(ModelEntry model, T value, List<Failure> failures, AttemptSpan span) {
        public Answer {
            failures = List.copyOf(failures);
        }

        public Answer(ModelEntry model, T value, List<Failure> failures) {
            this(model, value, failures, AttemptSpan.NONE);
        }
    }

    /**
     * A model of the route that failed before the first byte.
     *
     * @param why a word or two: the upstream's HTTP status, {@code unreachable}, {@code timeout}, ...
     */
    public record Failure(String model, String why) {
    }

    public <T> Answer<T> call(List<ModelEntry> route, Call<T> call) {
        return call(route, "chat", model -> -1, call);
    }

    /**
     * @param operation the GenAI operation the attempts' spans name: {@code chat} or {@code embeddings}
     * @param maxTokens each model's output bound as sent upstream (negative: none), for the spans
     */
    public <T> Answer<T> call(List<ModelEntry> route, String operation, ToLongFunction<ModelEntry> maxTokens,
                              Call<T> call) {
        RequestTrace trace = contexts.current().trace();
        UpstreamException last = null;
        List<Failure> failures = new ArrayList<>();
        for (ModelEntry model : route) {
            ChatProvider provider = providers.get(model.upstream());
            if (provider == null) {
                LOG.error("model {} names upstream {}, which is not configured", model.id(), model.upstream());
                failures.add(new Failure(model.id(), "not configured"));
                continue;
            }
            long start = System.nanoTime();
            try {
                Answer<T> answer = trace == RequestTrace.NONE
                        ? new Answer<>(model, timed(model.upstream(), call.call(provider, model), start), failures)
                        : traced(trace, new Attempt(operation, model.id(), model.upstreamModel(), model.upstream(),
                                providerName(provider, model), baseUrl(model), 0, failures.size(),
                                maxTokens.applyAsLong(model)), provider, model, call, failures, start);
                health.answered(model.upstream());
                return answer;
            } catch (UpstreamException e) {
                metrics.upstreamDuration(model.upstream(), false, System.nanoTime() - start);
                last = e;
                failures.add(new Failure(model.id(), why(e)));
                record(model.upstream(), e);
                LOG.warn("model {} via upstream {} failed before the first byte: {}", model.id(), model.upstream(), e.getMessage());
                if (!e.retryable() && e.kind() != UpstreamException.Kind.TIMEOUT) {
                    break; // the upstream rejected the request itself; another deployment would too
                }
            }
        }
        throw toApiException(route.getFirst(), last);
    }

    /** A stream is timed to its end; a buffered answer, read whole, is done now. */
    @SuppressWarnings("unchecked")
    private <T> T timed(String upstream, T value, long start) {
        long took = System.nanoTime() - start;
        if (value instanceof UpstreamStream stream) {
            metrics.upstreamFirstByte(upstream, took);
            return (T) new MeteredStream(stream, metrics, upstream, start);
        }
        metrics.upstreamDuration(upstream, true, took);
        return value;
    }

    private <T> Answer<T> traced(RequestTrace trace, Attempt attempt, ChatProvider provider, ModelEntry model,
                                 Call<T> call, List<Failure> failures, long start) throws UpstreamException {
        try (AttemptScope scope = AttemptScope.open(trace, attempt)) {
            T value = timed(model.upstream(), call.call(provider, model), start);
            return new Answer<>(model, value, failures, scope.answered());
        }
    }

    private static String providerName(ChatProvider provider, ModelEntry model) {
        String known = provider.genAiProvider();
        return known != null ? known : model.upstream();
    }

    private java.net.URI baseUrl(ModelEntry model) {
        UpstreamSettings s = settings.get(model.upstream());
        return s == null ? null : s.baseUrl();
    }

    /** Lists every upstream's models now (all at once, each within {@code timeout}) and records the answers. */
    public List<UpstreamHealth.Status> probe(Duration timeout) {
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            providers.forEach((name, provider) -> {
                if (provider instanceof ModelLister lister) {
                    probes.submit(() -> health.probe(name, lister, timeout));
                }
            });
        }
        return health.statuses();
    }

    public Duration idleTimeout(ModelEntry model) {
        UpstreamSettings s = settings.get(model.upstream());
        return s == null ? Duration.ofMinutes(2) : s.idleTimeout();
    }

    private static String why(UpstreamException e) {
        return switch (e.kind()) {
            case UNREACHABLE -> "unreachable";
            case TIMEOUT -> "timeout";
            case ERROR_STATUS -> Integer.toString(e.status());
            case PROTOCOL -> "bad answer";
        };
    }

    private void record(String upstream, UpstreamException e) {
        switch (e.kind()) {
            case UNREACHABLE, TIMEOUT -> health.unreachable(upstream, UpstreamHealth.reason(e));
            case ERROR_STATUS, PROTOCOL -> health.answered(upstream);
        }
    }

    private ApiException toApiException(ModelEntry model, UpstreamException e) {
        String name = model.id();
        if (e == null) {
            return new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, "No upstream is configured for model " + name
                    + ". This is a server configuration problem; try another model.");
        }
        return switch (e.kind()) {
            case UNREACHABLE -> unreachable(name, e);
            case TIMEOUT -> new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "The upstream serving " + name
                    + " did not answer in time. Retry, or lower max_tokens.", null, Map.of(), e);
            case PROTOCOL -> new ApiException(ErrorCode.UPSTREAM_FAILED, "The upstream serving " + name
                    + " answered something Tollgate cannot read. Retry later or use another model.", null, Map.of(), e);
            case ERROR_STATUS -> fromStatus(name, e);
        };
    }

    /**
     * Names the upstream's address (never its key) so whoever runs it knows what to start. Nothing listening there
     * (connection refused, after Tollgate's own retry and fallbacks) is not worth an immediate retry: the OpenAI SDKs
     * honour {@code x-should-retry: false}, so a client fails at once instead of retrying for seconds. Anything
     * else unreachable may be a blip: {@code Retry-After}.
     */
    private ApiException unreachable(String model, UpstreamException e) {
        UpstreamSettings upstream = settings.get(e.upstream());
        String where = upstream == null ? "" : " (" + e.upstream() + " at " + UpstreamHealth.displayUrl(upstream.baseUrl()) + ")";
        String message = "The upstream serving " + model + where + " is unreachable: " + UpstreamHealth.reason(e)
                + ". Retry in a moment or use another model.";
        Map<String, String> headers = e.refused() ? Map.of("x-should-retry", "false") : Map.of("Retry-After", "5");
        return new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, message, null, headers, e);
    }

    private static ApiException fromStatus(String name, UpstreamException e) {
        int status = e.status();
        if (status == 400 || status == 404 || status == 413 || status == 422) {
            // The caller's request was refused on its merits: show the upstream's own explanation.
            return new ApiException(ErrorCode.INVALID_REQUEST, "The upstream serving " + name
                    + " rejected the request: " + upstreamMessage(e.body()), null, Map.of(), e);
        }
        ErrorCode code = status == 429 || status == 503 ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_FAILED;
        return new ApiException(code, "The upstream serving " + name + " failed (HTTP " + status
                + "). Retry in a moment or use another model.", null, Map.of(), e);
    }

    private static String upstreamMessage(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode error = JSON.readTree(body).path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText("");
            if (!message.isBlank()) {
                return message;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: show the start of the body instead
        }
        return body.isBlank() ? "(no details)" : body.substring(0, Math.min(body.length(), 500));
    }
}
