package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.json.JsonBuffers;
import java.io.IOException;
import java.time.Instant;

/**
 * The Lambda invocation's deadline, as the AWS Lambda Web Adapter forwards the invocation context: a JSON header
 * {@value #HEADER} whose {@code deadline} (epoch milliseconds; some adapter versions say {@code deadline_ms}) is
 * when Lambda stops the function. A stream must end and settle before then. A header a caller forges can only
 * shorten its own stream, never lengthen it: the stream's deadline is the earlier of this and its maximum duration.
 */
final class LambdaDeadline {

    static final String HEADER = "x-amzn-lambda-context";
    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private LambdaDeadline() {
    }

    /** The deadline in {@code header}, or {@code null} when there is none or it cannot be read. */
    static Instant parse(String header) {
        if (header == null || header.isBlank() || header.length() > 16_384) {
            return null;
        }
        try {
            JsonNode context = JSON.readTree(header);
            for (String field : new String[] {"deadline", "deadline_ms"}) {
                JsonNode value = context == null ? null : context.get(field);
                if (value != null && value.canConvertToLong() && value.asLong() > 0) {
                    return Instant.ofEpochMilli(value.asLong());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not the adapter's JSON: no deadline
        }
        return null;
    }
}
