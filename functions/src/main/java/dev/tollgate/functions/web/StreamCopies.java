package dev.tollgate.functions.web;

import dev.tollgate.idempotency.IdempotencyRecord;
import dev.tollgate.idempotency.IdempotentRequests;
import dev.tollgate.idempotency.StoredResponse;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Keeps a copy of a stream's frames for an {@code Idempotency-Key}: a stream that ends is kept (up to the size
 * limit) and replayed whole to retries as one SSE body; one the client leaves, or that fails in the relay, is
 * recorded as interrupted (it was charged for what it delivered), so retries are refused instead of run again.
 */
final class StreamCopies {

    private static final Logger LOG = LoggerFactory.getLogger(StreamCopies.class);

    private final IdempotentRequests requests;

    StreamCopies(IdempotentRequests requests) {
        this.requests = requests;
    }

    Publisher<byte[]> recorded(IdempotencyRecord claim, List<StoredResponse.Header> headers, Publisher<byte[]> frames) {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        // Written on the relay's thread before the end reaches the client, so a retry after the end finds the copy.
        return Flux.from(frames)
                .doOnNext(frame -> {
                    synchronized (copy) {
                        if (copy.size() <= requests.maxStoredBytes()) {   // past it, only the size matters
                            copy.writeBytes(frame);
                        }
                    }
                })
                .doOnComplete(() -> quietly(claim, () -> {
                    byte[] body;
                    synchronized (copy) {
                        body = copy.toByteArray();
                    }
                    requests.streamEnded(claim, new StoredResponse(200, headers, body));
                }))
                .doOnCancel(() -> quietly(claim, () -> requests.interrupted(claim)))
                .doOnError(e -> quietly(claim, () -> requests.interrupted(claim)));
    }

    private static void quietly(IdempotencyRecord claim, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.error("request {}: its Idempotency-Key record could not be written", claim.requestId(), e);
        }
    }
}
