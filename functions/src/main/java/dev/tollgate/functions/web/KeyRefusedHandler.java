package dev.tollgate.functions.web;

import dev.tollgate.billing.KeyRefusedException;
import dev.tollgate.keys.KeyAuthenticator;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A key that this instance had cached as usable was refused where the money moves (revoked, disabled or expired
 * on another instance): answer the 401 and forget the cached key, so its next request is refused at once.
 */
@Produces
@Singleton
@Requires(classes = {KeyRefusedException.class, ExceptionHandler.class})
public class KeyRefusedHandler implements ExceptionHandler<KeyRefusedException, HttpResponse<byte[]>> {

    private final KeyAuthenticator authenticator;

    public KeyRefusedHandler(KeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, KeyRefusedException exception) {
        authenticator.invalidate(exception.keyHash());
        return Json.error(exception);
    }
}
