package dev.tollgate.idempotency;

import java.util.List;

/**
 * A final answer as it is replayed: status, the headers that describe it (in order, repeated names allowed) and the
 * exact body bytes (JSON, or a finished stream's SSE bytes).
 */
public record StoredResponse(int status, List<Header> headers, byte[] body) {

    public StoredResponse {
        headers = List.copyOf(headers);
    }

    /** One response header. */
    public record Header(String name, String value) {
    }
}
