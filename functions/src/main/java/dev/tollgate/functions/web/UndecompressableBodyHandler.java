package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import jakarta.inject.Singleton;

/**
 * A body sent with {@code Content-Encoding: gzip} or {@code deflate} that does not decompress is the caller's
 * mistake (Micronaut decompresses such bodies as they arrive, and without this handler the failure was a 500).
 */
@Produces
@Singleton
public class UndecompressableBodyHandler implements ExceptionHandler<DecompressionException, HttpResponse<byte[]>> {

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, DecompressionException exception) {
        return Json.error(ErrorCode.INVALID_REQUEST, "The request body could not be decompressed as its "
                + "Content-Encoding header says (" + exception.getMessage() + "). Send the JSON uncompressed, or "
                + "compressed whole with gzip or deflate.");
    }
}
