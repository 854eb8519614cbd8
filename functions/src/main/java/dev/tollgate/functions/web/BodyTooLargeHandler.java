package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A body over {@code micronaut.server.max-request-size} is the caller's mistake: 400
 * {@code invalid_request_error}, as DESIGN.md's error table says, instead of Micronaut's 413.
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
public class BodyTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<byte[]>> {

    private final String limit;

    public BodyTooLargeHandler(@Value("${micronaut.server.max-request-size:10485760}") String limit) {
        this.limit = limit;
    }

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, ContentLengthExceededException exception) {
        return Json.error(ErrorCode.INVALID_REQUEST, "The request body is larger than Tollgate's limit of " + limit
                + " bytes. Send fewer or smaller messages (for images, use a URL instead of inline base64).");
    }
}
