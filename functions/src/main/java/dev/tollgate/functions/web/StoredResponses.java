package dev.tollgate.functions.web;

import dev.tollgate.idempotency.IdempotentRequests;
import dev.tollgate.idempotency.StoredResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A response as an {@code Idempotency-Key} keeps it, and the replay of one: same status, headers and bytes. */
final class StoredResponses {

    /** Framing and connection headers belong to one exchange, not to the answer. */
    private static final Set<String> NOT_KEPT = Set.of("content-length", "transfer-encoding", "connection", "date",
            "keep-alive", IdempotentRequests.REPLAYED_HEADER);

    private StoredResponses() {
    }

    static List<StoredResponse.Header> headersOf(MutableHttpResponse<?> response) {
        List<StoredResponse.Header> headers = new ArrayList<>();
        response.getHeaders().forEach((name, values) -> {
            if (!NOT_KEPT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> headers.add(new StoredResponse.Header(name, value)));
            }
        });
        return headers;
    }

    static MutableHttpResponse<byte[]> replay(StoredResponse stored) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(stored.status()))
                .body(stored.body());
        for (StoredResponse.Header header : stored.headers()) {
            if (header.name().equalsIgnoreCase("content-type")) {
                response.contentType(MediaType.of(header.value()));
            } else {
                response.getHeaders().add(header.name(), header.value());
            }
        }
        return response.header(IdempotentRequests.REPLAYED_HEADER, "true");
    }
}
