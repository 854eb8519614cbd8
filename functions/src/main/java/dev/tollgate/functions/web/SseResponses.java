package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.chat.ChatOutcome;
import dev.tollgate.chat.FrameSink;
import dev.tollgate.chat.ReasoningSwitch;
import dev.tollgate.openai.SpendControls;
import dev.tollgate.upstream.JsonTrees;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A relayed stream as an SSE response, in any wire format: {@code encoder} wraps the response's sink (identity for
 * OpenAI chat, a re-encoding sink for the other formats). Streams are written as our own bytes
 * ({@code Publisher<byte[]>} is written verbatim by Micronaut, one flushed chunk per item: the frames the
 * upstream sent in one burst, or one frame when it paces them); a client disconnect
 * cancels the relay, which settles what was delivered.
 */
final class SseResponses {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    /** Why Tollgate chose the model that served (auto routing, a fallback); absent when the request named it. */
    static final String ROUTE_HEADER = "x-tollgate-route";

    private SseResponses() {
    }

    /** The route's headers, and the date (set here, it is formatted once a second: {@link HttpDates}). */
    private static <T> MutableHttpResponse<T> withRoute(MutableHttpResponse<T> response, ChatOutcome outcome) {
        response.header(HttpHeaders.DATE, HttpDates.now());
        if (outcome.route().reason() != null) {
            response.header(ROUTE_HEADER, outcome.route().reason());
        }
        if (outcome.route().clampedMaxTokens() != null) {
            response.header(SpendControls.CLAMPED_HEADER, Integer.toString(outcome.route().clampedMaxTokens()));
        }
        return response;
    }

    static MutableHttpResponse<Publisher<byte[]>> stream(ChatOutcome.Streaming streaming, UnaryOperator<FrameSink> encoder) {
        Flux<byte[]> frames = Flux.create((FluxSink<byte[]> sink) -> {
            sink.onCancel(streaming.relay()::cancel);
            streaming.relay().start(encoder.apply(new FrameSink() {
                // Frames of one burst are written together: each write is a hop to the event loop and a syscall.
                private final ByteArrayOutputStream held = new ByteArrayOutputStream(4096);

                @Override
                public void send(String frame) {
                    held.writeBytes(frame.getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void sendChunk(ObjectNode chunk) {
                    byte[] json = JsonTrees.bytes(chunk); // first: a write that fails leaves no half frame held
                    held.writeBytes(DATA);
                    held.writeBytes(json);
                    held.writeBytes(END);
                }

                @Override
                public void flush() {
                    if (held.size() > 0) {
                        sink.next(held.toByteArray());
                        held.reset();
                    }
                }

                @Override
                public void complete() {
                    flush();
                    sink.complete();
                }
            }));
        });
        MutableHttpResponse<Publisher<byte[]>> response = HttpResponse.ok((Publisher<byte[]>) frames)
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        return withRoute(ChatCompletionsController.BalanceHeaders.credits(ChatCompletionsController.BalanceHeaders.add(
                response, streaming.requestId(), streaming.balanceAtStart()), streaming.windowsAtStart()), streaming);
    }

    /** A buffered, settled answer in any wire format, with the balance and cost headers chat has. */
    static MutableHttpResponse<byte[]> buffered(ChatOutcome.Buffered buffered, byte[] body) {
        MutableHttpResponse<byte[]> response = withRoute(ChatCompletionsController.BalanceHeaders.credits(ChatCompletionsController.BalanceHeaders.add(
                        Json.status(200, body), buffered.requestId(), buffered.settlement().balance())
                .header("x-tollgate-cost-usd", buffered.settlement().charged().toDollars()),
                buffered.settlement().windows()), buffered);
        if (buffered.reasoningNote() != null) {
            response.header(ReasoningSwitch.NOTE_HEADER, buffered.reasoningNote());
        }
        return response;
    }
}
