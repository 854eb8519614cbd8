package dev.tollgate.functions.web;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.error.ErrorEnvelope;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.nio.charset.StandardCharsets;

/** JSON responses written from our own bytes, so Micronaut's codecs never reshape an OpenAI body. */
final class Json {

    private Json() {
    }

    static MutableHttpResponse<byte[]> ok(String json) {
        return status(200, json.getBytes(StandardCharsets.UTF_8));
    }

    static MutableHttpResponse<byte[]> status(int status, byte[] json) {
        return HttpResponse.<byte[]>status(io.micronaut.http.HttpStatus.valueOf(status))
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(json);
    }

    static MutableHttpResponse<byte[]> error(ApiException e) {
        MutableHttpResponse<byte[]> response = status(e.status(), ErrorEnvelope.bytes(e));
        e.headers().forEach(response::header);
        return response;
    }

    static MutableHttpResponse<byte[]> error(ErrorCode code, String message) {
        return error(new ApiException(code, message));
    }
}
