package dev.tollgate.functions.web;

import dev.tollgate.chat.ActiveStreams;
import dev.tollgate.functions.config.StreamConfig;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part of Micronaut's graceful shutdown (SIGTERM, and Lambda's shutdown phase): open streams get
 * {@code tollgate.stream.shutdown-grace} to finish; the rest are ended by the stream policy (usage chunk, an error
 * event saying the server is restarting, {@code [DONE]}) and settled, while Netty, which stopped accepting new
 * connections, waits for their responses to complete. Only then does the context close its DynamoDB client.
 */
@Singleton
public class StreamDrain implements GracefulShutdownCapable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDrain.class);
    /** How long ended streams get to settle (settlement retries included) before the shutdown goes on. */
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(5);

    private final ActiveStreams streams;
    private final Duration grace;

    public StreamDrain(ActiveStreams streams, StreamConfig config) {
        this.streams = streams;
        this.grace = config.getShutdownGrace();
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        int open = streams.size();
        LOG.info("shutting down: {} open streams get {} to finish", open, grace);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("tollgate-stream-drain").start(() -> {
            try {
                int ended = streams.drain(grace, SETTLE_WAIT);
                LOG.info("shutting down: {} streams finished, {} ended early and settled, {} still open",
                        open - ended, ended, streams.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    @Override
    public java.util.OptionalLong reportActiveTasks() {
        return java.util.OptionalLong.of(streams.size());
    }
}
