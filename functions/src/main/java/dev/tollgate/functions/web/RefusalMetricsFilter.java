package dev.tollgate.functions.web;

import dev.tollgate.error.ApiException;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.metrics.Outcome;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Counts the requests that end before they are admitted ({@code tollgate.requests} with {@code model="none"}): a key
 * refused, a balance or limit refused, a malformed body, an unknown model. Admitted requests are counted where they
 * settle, with their model and how they ended; an error answer that carries {@code x-request-id} is one of those
 * (it settled first), so it is not counted twice. The model of a refused request is not a tag: it may be any string a
 * caller sent, and the number of series must stay bounded.
 *
 * <p>Ordered before the security phase, so that the 401s and 429s the auth and rate-limit filters answer pass here.
 */
@ServerFilter(value = {"/v1/chat/completions", "/v1/responses", "/v1/messages", "/v1/completions", "/v1/embeddings"},
        methods = HttpMethod.POST)
public class RefusalMetricsFilter implements Ordered {

    static final String NO_MODEL = "none";

    private final Metrics metrics;

    public RefusalMetricsFilter(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.METRICS.order();
    }

    @ResponseFilter
    public void count(HttpRequest<?> request, MutableHttpResponse<?> response) {
        int status = response.code();
        if (status < 400 || response.getHeaders().contains(ApiException.REQUEST_ID_HEADER)) {
            return;
        }
        metrics.request(endpoint(request.getPath()), NO_MODEL, Outcome.ofRefusal(status));
    }

    private static Endpoint endpoint(String path) {
        if (path.endsWith("/chat/completions")) {
            return Endpoint.CHAT;
        }
        if (path.endsWith("/responses")) {
            return Endpoint.RESPONSES;
        }
        if (path.endsWith("/messages")) {
            return Endpoint.MESSAGES;
        }
        return path.endsWith("/embeddings") ? Endpoint.EMBEDDINGS : Endpoint.COMPLETIONS;
    }
}
