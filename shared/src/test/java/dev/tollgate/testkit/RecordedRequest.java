package dev.tollgate.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as received by {@link FakeOpenAiUpstream}.
 *
 * @param method  HTTP method, e.g. {@code POST}
 * @param path    the raw request target, e.g. {@code /v1/chat/completions} (including any query string)
 * @param headers header values keyed by lower-cased name, in arrival order
 * @param body    the request body decoded as UTF-8 ({@code ""} when there is none)
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordedRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? "" : body;
    }

    /** The body parsed as JSON; throws {@link UncheckedIOException} if it is not JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** First value of the named header (case-insensitive), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
