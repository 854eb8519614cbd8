package dev.tollgate.functions.web;

import dev.tollgate.error.ApiException;
import dev.tollgate.idempotency.Fingerprint;
import dev.tollgate.idempotency.IdempotencyRecord;
import dev.tollgate.idempotency.IdempotentRequests;
import dev.tollgate.idempotency.StoredResponse;
import dev.tollgate.keys.ApiKey;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code Idempotency-Key} on the billed POSTs ({@link Idempotent}), around the controllers rather than inside the chat
 * path: a request without the header passes straight through on the event loop; one with it is fingerprinted, claims
 * the key for the caller's account ({@link IdempotentRequests}) and runs under the claim's request id (the request
 * attribute {@value #REQUEST_ID}, which the controllers hand to billing), or is answered from the stored response, or
 * refused (409/422, in the endpoint's error envelope: {@link AnthropicErrorFilter} wraps this filter).
 *
 * <p>Its answer is recorded when the controller's response passes back through here: a buffered answer at once, a
 * stream when its last frame has gone out (before the client sees the end, so a retry after the end finds it).
 * It runs after the rate limit, so a replay still counts as a request of the key's minute.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
@Idempotent
public class IdempotencyFilter implements HttpServerFilter, Ordered {

    public static final String REQUEST_ID = "tollgate.idempotent-request-id";
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotentRequests requests;
    private final Scheduler blocking;
    private final StreamCopies streams;

    public IdempotencyFilter(IdempotentRequests requests, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.requests = requests;
        this.blocking = Schedulers.fromExecutorService(blocking);
        this.streams = new StreamCopies(requests);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 1;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String key = request.getHeaders().get(IdempotentRequests.HEADER);
        if (key == null) {
            return chain.proceed(request);
        }
        ApiKey caller = RequestAttributes.get(request, AuthFilter.KEY, ApiKey.class).orElse(null);
        // A quote (?dry_run, ?dry_run=true) moves no money and runs nothing upstream: it neither claims nor uses a key.
        if (caller == null || request.getMethod() != HttpMethod.POST
                || SpendParams.asksForQuote(request)
                || !(request instanceof ServerHttpRequest<?> server)) {
            return chain.proceed(request);
        }
        try {
            IdempotentRequests.validKey(key);
        } catch (ApiException e) {
            return Mono.just(Json.error(e));
        }
        return Mono.fromFuture(bodyOf(server)).publishOn(blocking)
                .flatMapMany(body -> begin(request, chain, caller, key, body));
    }

    /** A copy of the body; the controller still reads the original. */
    private static CompletableFuture<byte[]> bodyOf(ServerHttpRequest<?> request) {
        return request.byteBody().split().buffer().thenApply(body -> {
            try (CloseableAvailableByteBody copy = body) {
                return copy.toByteArray();
            }
        });
    }

    private Publisher<MutableHttpResponse<?>> begin(HttpRequest<?> request, ServerFilterChain chain, ApiKey caller,
                                                    String key, byte[] body) {
        IdempotentRequests.Begin begin;
        try {
            begin = requests.begin(caller.accountId(), key, fingerprint(request, body));
        } catch (ApiException e) {
            return Flux.just(Json.error(e));
        }
        if (begin instanceof IdempotentRequests.Begin.Replay replay) {
            return Flux.just(StoredResponses.replay(replay.response()));
        }
        IdempotencyRecord claim = ((IdempotentRequests.Begin.Run) begin).claim();
        request.setAttribute(REQUEST_ID, claim.requestId());
        return Flux.from(chain.proceed(request))
                .concatMap(response -> record(claim, response))
                .onErrorResume(e -> Mono.fromRunnable(() -> requests.abandoned(claim)).subscribeOn(blocking)
                        .then(Mono.error(e)));
    }

    /**
     * Everything that decides the answer besides the account: method, path, query ({@code dry_run} and the like),
     * body, and the request headers that steer it: Tollgate's own ({@code x-tollgate-*}, e.g. a cost ceiling) and
     * Anthropic's version and beta flags.
     */
    static String fingerprint(HttpRequest<?> request, byte[] body) {
        Map<String, String> steering = new TreeMap<>();
        request.getHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-tollgate-") || lower.startsWith("anthropic-")) {
                steering.put(lower, String.join(",", values));
            }
        });
        return Fingerprint.of(request.getMethodName(), request.getPath(), request.getUri().getRawQuery(), steering, body);
    }

    private Publisher<MutableHttpResponse<?>> record(IdempotencyRecord claim, MutableHttpResponse<?> response) {
        Object body = response.getBody().orElse(null);
        if (body instanceof Publisher<?> frames && response.code() < 300) {
            @SuppressWarnings("unchecked")
            MutableHttpResponse<Object> stream = (MutableHttpResponse<Object>) response;
            stream.body(streams.recorded(claim, StoredResponses.headersOf(response), (Publisher<byte[]>) frames));
            return Mono.<MutableHttpResponse<?>>just(response);
        }
        byte[] bytes = body instanceof byte[] raw ? raw
                : body instanceof CharSequence text ? text.toString().getBytes(StandardCharsets.UTF_8) : new byte[0];
        StoredResponse stored = new StoredResponse(response.code(), StoredResponses.headersOf(response), bytes);
        return Mono.<MutableHttpResponse<?>>fromCallable(() -> {
            try {
                if (response.code() < 300) {
                    requests.succeeded(claim, stored);
                } else {
                    requests.failed(claim, stored);
                }
            } catch (RuntimeException e) {
                // The answer is still given; the claim stays until its lease ends, then a retry takes it over.
                LOG.error("request {}: its Idempotency-Key record could not be written", claim.requestId(), e);
            }
            return response;
        }).subscribeOn(blocking);
    }
}
