package dev.tollgate.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;

/** Renders the OpenAI error envelope {@code {"error":{"message","type","code","param"}}}. */
public final class ErrorEnvelope {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private ErrorEnvelope() {
    }

    public static ObjectNode of(ErrorCode code, String message, String param) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", code.type());
        error.put("code", code.code());
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        return root;
    }

    public static ObjectNode of(ApiException e) {
        return of(e.code(), e.getMessage(), e.param());
    }

    public static byte[] bytes(ApiException e) {
        return of(e).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
