package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import dev.tollgate.error.ErrorEnvelope;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * Renders Micronaut's own errors (unknown route, wrong method, unsupported media type, uncaught
 * exceptions) as the OpenAI envelope. A 5xx never shows exception text: it may hold internals.
 */
@Singleton
public class OpenAiErrorResponseProcessor implements ErrorResponseProcessor<byte[]> {

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 401 -> ErrorCode.INVALID_API_KEY;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
        };
        String message;
        if (status >= 500) {
            message = "Tollgate had an internal error while processing the request. Retry; if it persists, contact support.";
        } else if (status == 404) {
            message = "Unknown path " + context.getRequest().getPath() + ". The API lives under /v1, e.g. POST /v1/chat/completions.";
        } else if (undecodable(context) != null) {
            message = "The request is not valid HTTP/1.1 (" + undecodable(context).getMessage() + "). Check the "
                    + "request line, the headers and Content-Length, which must be a number of bytes.";
        } else {
            message = context.hasErrors() ? context.getErrors().getFirst().getMessage() : response.reason();
        }
        if (message == null || message.isBlank()) {
            message = "The request was refused (HTTP " + status + ").";
        }
        byte[] body = ErrorEnvelope.of(code, message, null).toString().getBytes(StandardCharsets.UTF_8);
        return ((MutableHttpResponse<byte[]>) response).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** Why Netty could not decode the request's head, or null when it could (Micronaut then answers 400 or 413). */
    private static Throwable undecodable(ErrorContext context) {
        if (context.getRequest() instanceof NettyHttpRequest<?> netty && netty.getNativeRequest().decoderResult().isFailure()) {
            return netty.getNativeRequest().decoderResult().cause();
        }
        return null;
    }
}
