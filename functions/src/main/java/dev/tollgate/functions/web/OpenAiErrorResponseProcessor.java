package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import dev.tollgate.error.ErrorEnvelope;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
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
        } else {
            message = context.hasErrors() ? context.getErrors().getFirst().getMessage() : response.reason();
        }
        byte[] body = ErrorEnvelope.of(code, message, null).toString().getBytes(StandardCharsets.UTF_8);
        return ((MutableHttpResponse<byte[]>) response).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
