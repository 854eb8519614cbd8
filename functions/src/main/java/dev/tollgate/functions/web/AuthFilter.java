package dev.tollgate.functions.web;

import dev.tollgate.error.ApiException;
import dev.tollgate.keys.KeyAuthenticator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Authenticates every /v1 request by its bearer key and hands the key to the controller as the
 * request attribute {@value #KEY}. Runs on a virtual thread: a cache miss reads DynamoDB.
 *
 * <p>It has an explicit order, the security phase: a filter bean without one gets
 * {@code Integer.MAX_VALUE} in Micronaut 4 (it runs last), so filters that read the key, such as
 * {@link RateLimitFilter}, could not otherwise be placed after it.
 */
@ServerFilter("/v1/**")
public class AuthFilter implements Ordered {

    public static final String KEY = "tollgate.key";

    private final KeyAuthenticator authenticator;

    public AuthFilter(KeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<byte[]> authenticate(HttpRequest<?> request) {
        try {
            request.setAttribute(KEY, authenticator.authenticate(request.getHeaders().get(HttpHeaders.AUTHORIZATION)));
            return null;
        } catch (ApiException e) {
            return Json.error(e);
        }
    }
}
