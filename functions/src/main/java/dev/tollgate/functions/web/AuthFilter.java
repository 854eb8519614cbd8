package dev.tollgate.functions.web;

import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyAuthenticator;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates every /v1 request by its bearer key (or Anthropic's {@code x-api-key}) and hands the key to the controller as the
 * request attribute {@value #KEY}.
 *
 * <p>Where it runs is the point of its shape: a key this instance has cached (nearly every request) is
 * checked right on the event loop, with no hand-off to another thread; only a cache miss, which reads
 * DynamoDB, moves to a virtual thread. (A request filter method with {@code @ExecuteOn(BLOCKING)} would
 * move every request; the benchmark in docs/PERFORMANCE.md measured that hand-off.)
 *
 * <p>It has an explicit order, the security phase: a filter bean without one gets
 * {@code Integer.MAX_VALUE} in Micronaut 4 (it runs last), so filters that read the key, such as
 * {@link RateLimitFilter}, could not otherwise be placed after it.
 */
@Filter("/v1/**")
public class AuthFilter implements HttpServerFilter, Ordered {

    public static final String KEY = "tollgate.key";
    static final String API_KEY_HEADER = "x-api-key";

    private final KeyAuthenticator authenticator;
    private final Scheduler blocking;

    public AuthFilter(KeyAuthenticator authenticator, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.authenticator = authenticator;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String authorization = authorization(request);
        ApiKey cached;
        try {
            cached = authenticator.authenticateCached(authorization);
        } catch (ApiException e) {
            return Mono.just(Json.error(e));
        }
        if (cached != null) {
            request.setAttribute(KEY, cached);
            return chain.proceed(request);
        }
        return Mono.fromCallable(() -> authenticate(request, authorization))
                .subscribeOn(blocking)
                .flatMapMany(refusal -> refusal.isPresent() ? Flux.just(refusal.get()) : chain.proceed(request));
    }

    /**
     * {@code Authorization: Bearer <key>}, or else Anthropic's {@code x-api-key: <key>} (its SDKs and Claude Code
     * send that), read as the same bearer key on every route.
     */
    private static String authorization(HttpRequest<?> request) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String apiKey = request.getHeaders().get(API_KEY_HEADER);
        if (authorization == null && apiKey != null && !apiKey.isBlank()) {
            return "Bearer " + apiKey.strip();
        }
        return authorization;
    }

    /** Reads the key (a cache miss); empty when the request may proceed, else the 401 to answer. */
    private Optional<MutableHttpResponse<?>> authenticate(HttpRequest<?> request, String authorization) {
        try {
            request.setAttribute(KEY, authenticator.authenticate(authorization));
            return Optional.empty();
        } catch (ApiException e) {
            return Optional.of(Json.error(e));
        }
    }
}
