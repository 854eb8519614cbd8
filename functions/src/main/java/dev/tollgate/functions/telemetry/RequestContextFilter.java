package dev.tollgate.functions.telemetry;

import dev.tollgate.functions.web.RequestAttributes;
import dev.tollgate.telemetry.RequestContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Gives every {@code /v1} request its {@link RequestContext} (its server span, when tracing is on) before anything
 * else runs, so that the auth filter's 401 is logged too, and tells it the response's status. The request is
 * finished then, or, for a stream, when it settles ({@link RequestLines}).
 */
@ServerFilter("/v1/**")
public class RequestContextFilter implements Ordered {

    static final String CONTEXT = "tollgate.request-context";
    static final String REQUEST_ID = "tollgate.request-id";

    private final ServerTraces traces;
    private final RequestLines lines;

    public RequestContextFilter(ServerTraces traces, RequestLines lines) {
        this.traces = traces;
        this.lines = lines;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.TRACING.order();
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        long started = System.nanoTime();
        String method = request.getMethodName();
        String route = route(request);
        ServerTraces.ServerTrace trace = traces.start(method, route);
        request.setAttribute(CONTEXT, new RequestContext(method + " " + route, trace,
                finished -> lines.finished(finished, request, trace, started)));
    }

    @ResponseFilter
    public void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        RequestAttributes.get(request, CONTEXT, RequestContext.class).ifPresent(context -> {
            String requestId = response.getHeaders().get("x-request-id");
            if (requestId != null) {
                request.setAttribute(REQUEST_ID, requestId);
            }
            context.responded(response.code());
        });
    }

    /** The route's template ({@code /v1/keys/{id}}), so that ids stay out of span names; else the path. */
    private static String route(HttpRequest<?> request) {
        return request.getAttribute(HttpAttributes.URI_TEMPLATE, String.class).orElse(request.getPath());
    }
}
