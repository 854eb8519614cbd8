package dev.tollgate.chat;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which model served a chat request and, when Tollgate chose it, why: the {@code x-tollgate-route} header and the
 * request log's {@code route}.
 *
 * @param servedModel the public id of the model that answered (the response's {@code model})
 * @param reason      a few words, e.g. {@code auto: code -> qwen/qwen3-coder:free} or
 *                    {@code fallback: qwen3:latest failed (503) -> gemma3:1b}; {@code null} when the request named
 *                    the model that served it. ASCII, because HTTP header values are: Netty writes any other
 *                    character as {@code ?}.
 * @param clampedMaxTokens the output bound per choice sent upstream when a cost ceiling or afford mode lowered it
 *                    (the {@code x-tollgate-max-tokens-clamped} header), else {@code null}
 */
public record RouteDecision(String servedModel, String reason, Integer clampedMaxTokens) {

    public RouteDecision(String servedModel, String reason) {
        this(servedModel, reason, null);
    }

    static RouteDecision of(String servedModel, String autoReason, List<UpstreamRouter.Failure> failures,
                            Integer clampedMaxTokens) {
        String fallback = failures.isEmpty() ? null : "fallback: " + failures.stream()
                .map(f -> f.model() + " failed (" + f.why() + ")").collect(Collectors.joining(", ")) + " -> " + servedModel;
        if (autoReason == null) {
            return new RouteDecision(servedModel, fallback, clampedMaxTokens);
        }
        return new RouteDecision(servedModel, fallback == null ? autoReason : autoReason + "; " + fallback,
                clampedMaxTokens);
    }
}
