package dev.tollgate.functions.web.console;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A refused console form post becomes a 403 page saying what to do, not a JSON error. */
@Produces
@Singleton
@Requires(classes = {ConsoleRefused.class, ExceptionHandler.class})
public class ConsoleRefusedHandler implements ExceptionHandler<ConsoleRefused, HttpResponse<?>> {

    private final Pages pages;

    public ConsoleRefusedHandler(Pages pages) {
        this.pages = pages;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConsoleRefused exception) {
        return pages.refused(request, exception.getMessage());
    }
}
