package dev.tollgate.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * How {@link FakeOpenAiUpstream} answers one request. Immutable: every method returns a modified copy.
 *
 * <p>Start from {@link #defaults()} (pieces "Hello", " from", " fake"; usage 11 + 3), {@link #of(String...)} or
 * {@link #error(int, String)}. Piece-indexed faults ({@code holdAfterPiece}, {@code resetAfterPiece},
 * {@code malformedSseAfterPiece}) and {@code chunkDelay} shape streamed chat responses; {@code status},
 * {@code delayHeaders}, {@code holdBeforeHeaders} and {@code header} apply to every POST endpoint. A buffered chat
 * response with {@code resetAfterPiece} set sends the headers and half of the body, then closes the connection.
 */
public final class Behavior {

    /** The most chunks an {@link #endless()} stream sends before giving up on the client. */
    public static final int ENDLESS_LIMIT = 1_000_000;
    /** How often an {@link #endless()} buffered answer repeats its pieces. */
    public static final int ENDLESS_REPEATS = 2_000;

    /** How long a hold waits for its latch before continuing anyway, so a forgotten latch cannot hang a build. */
    public static final Duration HOLD_SAFETY_TIMEOUT = Duration.ofSeconds(30);

    private static final int NONE = -1;

    private final List<String> pieces;
    private final int promptTokens;
    private final int completionTokens;
    private final int status;
    private final String statusBody;
    private final Duration delayHeaders;
    private final CountDownLatch holdBeforeHeaders;
    private final Map<Integer, CountDownLatch> holdAfterPiece;
    private final int resetAfterPiece;
    private final Map<Integer, String> malformedAfterPiece;
    private final Duration chunkDelay;
    private final String reasoning;
    private final Map<String, String> extraHeaders;
    private final boolean endless;
    private final int choices;
    private final String rawBody;
    private final List<String> toolCall;

    private Behavior(List<String> pieces, int promptTokens, int completionTokens, int status, String statusBody,
            Duration delayHeaders, CountDownLatch holdBeforeHeaders, Map<Integer, CountDownLatch> holdAfterPiece,
            int resetAfterPiece, Map<Integer, String> malformedAfterPiece, Duration chunkDelay, String reasoning,
            Map<String, String> extraHeaders, boolean endless, int choices, String rawBody, List<String> toolCall) {
        this.pieces = List.copyOf(pieces);
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        this.status = status;
        this.statusBody = statusBody;
        this.delayHeaders = delayHeaders;
        this.holdBeforeHeaders = holdBeforeHeaders;
        this.holdAfterPiece = Map.copyOf(holdAfterPiece);
        this.resetAfterPiece = resetAfterPiece;
        this.malformedAfterPiece = Map.copyOf(malformedAfterPiece);
        this.chunkDelay = chunkDelay;
        this.reasoning = reasoning;
        this.extraHeaders = Map.copyOf(extraHeaders);
        this.endless = endless;
        this.choices = choices;
        this.rawBody = rawBody;
        this.toolCall = toolCall;
    }

    /** Pieces "Hello", " from", " fake"; usage prompt 11, completion 3; HTTP 200; no faults. */
    public static Behavior defaults() {
        return new Behavior(List.of("Hello", " from", " fake"), 11, 3, 200, null, Duration.ZERO, null, Map.of(),
                NONE, Map.of(), Duration.ZERO, null, Map.of(), false, 1, null, null);
    }

    /** {@link #defaults()} with these content pieces. */
    public static Behavior of(String... pieces) {
        return defaults().pieces(pieces);
    }

    /** {@link #defaults()} answering {@code code} with {@code jsonBody} (an OpenAI error object when null). */
    public static Behavior error(int code, String jsonBody) {
        return defaults().status(code, jsonBody);
    }

    public Behavior pieces(String... newPieces) {
        return copy(b -> b.pieces = List.of(newPieces));
    }

    public Behavior usage(int prompt, int completion) {
        return copy(b -> { b.promptTokens = prompt; b.completionTokens = completion; });
    }

    /** Omit {@code usage} everywhere (buffered body and the streamed usage chunk). */
    public Behavior noUsage() {
        return copy(b -> { b.promptTokens = NONE; b.completionTokens = NONE; });
    }

    /** Answer this status with this JSON body right away (after any header delay/hold), instead of a completion. */
    public Behavior status(int code, String jsonBody) {
        return copy(b -> { b.status = code; b.statusBody = jsonBody; });
    }

    /** Sleep before sending the status line (for first-byte timeout tests where a real delay is the point). */
    public Behavior delayHeaders(Duration delay) {
        return copy(b -> b.delayHeaders = Objects.requireNonNull(delay));
    }

    /** Block before sending the status line until {@code latch} opens (or {@link #HOLD_SAFETY_TIMEOUT}). */
    public Behavior holdBeforeHeaders(CountDownLatch latch) {
        return copy(b -> b.holdBeforeHeaders = Objects.requireNonNull(latch));
    }

    /** After streaming and flushing piece {@code k} (0-based), block until {@code latch} opens. */
    public Behavior holdAfterPiece(int k, CountDownLatch latch) {
        return copy(b -> { b.holdAfterPiece = new HashMap<>(b.holdAfterPiece); b.holdAfterPiece.put(k, latch); });
    }

    /**
     * After streaming and flushing piece {@code k}, close the connection mid-response: no finish chunk, no
     * {@code [DONE]}, no terminating HTTP chunk, so the client's next read fails with an I/O error after it has
     * received piece {@code k}. (The close is a FIN, not a TCP RST, so the earlier pieces always arrive.)
     */
    public Behavior resetAfterPiece(int k) {
        return copy(b -> b.resetAfterPiece = k);
    }

    /** After piece {@code k}, send the event {@code data: {not json} and then carry on normally. */
    public Behavior malformedSseAfterPiece(int k) {
        return eventAfterPiece(k, "{not json");
    }

    /** After piece {@code k}, send the event {@code data: <data>} as it is (e.g. a chunk of the wrong shape), then carry on. */
    public Behavior eventAfterPiece(int k, String data) {
        return copy(b -> {
            b.malformedAfterPiece = new HashMap<>(b.malformedAfterPiece);
            b.malformedAfterPiece.put(k, data);
        });
    }

    /** Fixed pause between streamed pieces (benchmarks; tests should use latches). */
    public Behavior chunkDelay(Duration delay) {
        return copy(b -> b.chunkDelay = Objects.requireNonNull(delay));
    }

    /** Adds {@code reasoning_content} to the first delta (streaming) or to the message (buffered). */
    public Behavior reasoning(String text) {
        return copy(b -> b.reasoning = text);
    }

    /**
     * Ignore {@code max_tokens}: after the pieces, a stream keeps sending {@code " more"} until the client goes away
     * (at most {@value #ENDLESS_LIMIT} chunks), and a buffered answer repeats its pieces {@value #ENDLESS_REPEATS}
     * times. Usage, if any, is what {@link #usage} says.
     */
    public Behavior endless() {
        return copy(b -> b.endless = true);
    }

    /** Every chunk (and a buffered answer) carries {@code n} choices, whatever the request asked. */
    public Behavior choices(int n) {
        return copy(b -> b.choices = n);
    }

    /** Answer a buffered request with this exact body (status 200, JSON content type), e.g. a malformed completion. */
    public Behavior rawBody(String body) {
        return copy(b -> b.rawBody = body);
    }

    /**
     * After the content, the model calls the function {@code name} with {@code arguments} (JSON text): a buffered
     * message gets {@code tool_calls}, a stream sends the call in two argument fragments; {@code finish_reason} is
     * {@code tool_calls}.
     */
    public Behavior toolCall(String name, String arguments) {
        return copy(b -> b.toolCall = List.of(name, arguments));
    }

    /** Adds a response header, e.g. {@code retry-after} on a 429. */
    public Behavior header(String name, String value) {
        return copy(b -> { b.extraHeaders = new HashMap<>(b.extraHeaders); b.extraHeaders.put(name, value); });
    }

    /** All pieces concatenated: the content a client should end up with. */
    public String content() {
        return String.join("", pieces);
    }

    public List<String> contentPieces() {
        return pieces;
    }

    public boolean hasUsage() {
        return promptTokens != NONE;
    }

    /** Prompt tokens reported, or -1 after {@link #noUsage()}. */
    public int promptTokens() {
        return promptTokens;
    }

    /** Completion tokens reported, or -1 after {@link #noUsage()}. */
    public int completionTokens() {
        return completionTokens;
    }

    int status() {
        return status;
    }

    String statusBody() {
        return statusBody;
    }

    Duration delayHeaders() {
        return delayHeaders;
    }

    CountDownLatch holdBeforeHeaders() {
        return holdBeforeHeaders;
    }

    CountDownLatch holdAfter(int piece) {
        return holdAfterPiece.get(piece);
    }

    boolean resetAfter(int piece) {
        return resetAfterPiece == piece;
    }

    boolean resets() {
        return resetAfterPiece != NONE;
    }

    /** The raw event to send after piece {@code piece}, or null. */
    String eventAfter(int piece) {
        return malformedAfterPiece.get(piece);
    }

    Duration chunkDelay() {
        return chunkDelay;
    }

    String reasoning() {
        return reasoning;
    }

    Map<String, String> extraHeaders() {
        return extraHeaders;
    }

    boolean isEndless() {
        return endless;
    }

    int choiceCount() {
        return choices;
    }

    String rawBody() {
        return rawBody;
    }

    /** {@code [name, arguments]} of the tool call to make, or null. */
    List<String> toolCall() {
        return toolCall;
    }

    private Behavior copy(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** Mutable scratch copy used only inside {@link #copy}. */
    private static final class Builder {
        List<String> pieces;
        int promptTokens;
        int completionTokens;
        int status;
        String statusBody;
        Duration delayHeaders;
        CountDownLatch holdBeforeHeaders;
        Map<Integer, CountDownLatch> holdAfterPiece;
        int resetAfterPiece;
        Map<Integer, String> malformedAfterPiece;
        Duration chunkDelay;
        String reasoning;
        Map<String, String> extraHeaders;
        boolean endless;
        int choices;
        String rawBody;
        List<String> toolCall;

        Builder(Behavior s) {
            pieces = new ArrayList<>(s.pieces);
            promptTokens = s.promptTokens;
            completionTokens = s.completionTokens;
            status = s.status;
            statusBody = s.statusBody;
            delayHeaders = s.delayHeaders;
            holdBeforeHeaders = s.holdBeforeHeaders;
            holdAfterPiece = s.holdAfterPiece;
            resetAfterPiece = s.resetAfterPiece;
            malformedAfterPiece = s.malformedAfterPiece;
            chunkDelay = s.chunkDelay;
            reasoning = s.reasoning;
            extraHeaders = s.extraHeaders;
            endless = s.endless;
            choices = s.choices;
            rawBody = s.rawBody;
            toolCall = s.toolCall;
        }

        Behavior build() {
            return new Behavior(pieces, promptTokens, completionTokens, status, statusBody, delayHeaders,
                    holdBeforeHeaders, holdAfterPiece, resetAfterPiece, malformedAfterPiece, chunkDelay, reasoning,
                    extraHeaders, endless, choices, rawBody, toolCall);
        }
    }
}
