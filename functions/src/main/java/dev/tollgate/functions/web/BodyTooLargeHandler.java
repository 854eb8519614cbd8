package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.exceptions.BufferLengthExceededHandler;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A body over {@code micronaut.server.max-request-size} is the caller's mistake: 400
 * {@code invalid_request_error}, as DESIGN.md's error table says, instead of Micronaut's 413.
 *
 * <p>Micronaut has a second limit, {@code max-request-buffer-size}, for bodies it buffers whole (all of ours).
 * application.yml derives it from {@code max-request-size}, so the first limit is the only one callers meet; should
 * the two ever differ, the buffer limit still answers with the same message and the smaller number.
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
public class BodyTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<byte[]>> {

    private final HttpServerConfiguration server;

    public BodyTooLargeHandler(HttpServerConfiguration server) {
        this.server = server;
    }

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, ContentLengthExceededException exception) {
        return tooLarge(limit(server));
    }

    static long limit(HttpServerConfiguration server) {
        return Math.min(server.getMaxRequestSize(), server.getMaxRequestBufferSize());
    }

    static HttpResponse<byte[]> tooLarge(long limit) {
        return Json.error(ErrorCode.INVALID_REQUEST, "The request body is larger than Tollgate's limit of " + limit
                + " bytes. Send fewer or smaller messages (for images, use a URL instead of inline base64).");
    }

    /** The same answer when Micronaut's buffering limit is the one that was hit. */
    @Produces
    @Singleton
    @Replaces(BufferLengthExceededHandler.class)
    public static class Buffered implements ExceptionHandler<BufferLengthExceededException, HttpResponse<byte[]>> {

        private final HttpServerConfiguration server;

        public Buffered(HttpServerConfiguration server) {
            this.server = server;
        }

        @Override
        public HttpResponse<byte[]> handle(HttpRequest request, BufferLengthExceededException exception) {
            return tooLarge(limit(server));
        }
    }
}
