package dev.tollgate.functions.telemetry;

import dev.tollgate.functions.web.RequestAttributes;
import dev.tollgate.telemetry.RequestContext;
import dev.tollgate.telemetry.RequestContexts;
import io.micronaut.http.context.ServerRequestContext;

/**
 * The context of the request the calling thread serves, from Micronaut's propagated request (it follows a
 * controller onto its {@code @ExecuteOn} thread). Outside a request, or on a relay's own thread, none.
 */
public final class MicronautRequestContexts implements RequestContexts {

    @Override
    public RequestContext current() {
        return ServerRequestContext.currentRequest()
                .flatMap(request -> RequestAttributes.get(request, RequestContextFilter.CONTEXT, RequestContext.class))
                .orElse(RequestContext.NONE);
    }
}
