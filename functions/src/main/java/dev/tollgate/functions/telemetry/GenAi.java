package dev.tollgate.functions.telemetry;

import dev.tollgate.telemetry.Attempt;
import dev.tollgate.telemetry.AttemptSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;

/**
 * The OpenTelemetry GenAI semantic conventions (client inference and embeddings spans) as Tollgate fills them.
 * Prompts and completions are never recorded (the conventions make content opt-in). Both
 * {@code gen_ai.provider.name} and its predecessor {@code gen_ai.system} are set, so backends on either version
 * of the conventions group by provider. Span name: {@code {gen_ai.operation.name} {gen_ai.request.model}}.
 */
final class GenAi {

    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");

    private GenAi() {
    }

    static Span start(Tracer tracer, Context parent, Attempt attempt) {
        var span = tracer.spanBuilder(attempt.operation() + " " + attempt.upstreamModel())
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", attempt.operation())
                .setAttribute("gen_ai.provider.name", attempt.provider())
                .setAttribute("gen_ai.system", attempt.provider())
                .setAttribute("gen_ai.request.model", attempt.upstreamModel())
                .setAttribute("tollgate.model", attempt.model())
                .setAttribute("tollgate.upstream", attempt.upstream())
                .setAttribute("tollgate.attempt", attempt.number())
                .setAttribute("tollgate.fallback", attempt.fallback());
        if (attempt.maxTokens() >= 0) {
            span.setAttribute("gen_ai.request.max_tokens", attempt.maxTokens());
        }
        if (attempt.baseUrl() != null && attempt.baseUrl().getHost() != null) {
            span.setAttribute("server.address", attempt.baseUrl().getHost());
            int port = attempt.baseUrl().getPort() >= 0 ? attempt.baseUrl().getPort()
                    : "https".equals(attempt.baseUrl().getScheme()) ? 443 : 80;
            span.setAttribute("server.port", port);
        }
        return span.startSpan();
    }

    static void answer(Span span, AttemptSpan.Answer answer) {
        if (answer.responseModel() != null) {
            span.setAttribute("gen_ai.response.model", answer.responseModel());
        }
        if (answer.responseId() != null) {
            span.setAttribute("gen_ai.response.id", answer.responseId());
        }
        if (answer.inputTokens() >= 0) {
            span.setAttribute("gen_ai.usage.input_tokens", answer.inputTokens());
        }
        if (answer.outputTokens() >= 0) {
            span.setAttribute("gen_ai.usage.output_tokens", answer.outputTokens());
        }
        if (!answer.finishReasons().isEmpty()) {
            span.setAttribute(FINISH_REASONS, answer.finishReasons());
        }
        if (answer.end() != null) {
            span.setAttribute("tollgate.end", answer.end());
            // A stream the upstream broke or let go silent failed; a client that left or a bound reached did not.
            if (answer.end().equals("upstream_error") || answer.end().equals("upstream_timeout")) {
                span.setAttribute("error.type", answer.end());
                span.setStatus(StatusCode.ERROR);
            }
        }
    }

    static void outcome(Span span, ServerTraces.Outcome outcome) {
        put(span, "tollgate.request.id", outcome.requestId());
        put(span, "tollgate.account.id", outcome.accountId());
        put(span, "tollgate.key.id", outcome.keyId());
        put(span, "tollgate.model", outcome.model());
        put(span, "tollgate.status", outcome.status());
        if (outcome.status() != null) {
            // Not gen_ai.usage.*: backends that sum those over spans would count the attempt's tokens twice.
            span.setAttribute("tollgate.tokens_in", outcome.inputTokens());
            span.setAttribute("tollgate.tokens_out", outcome.outputTokens());
            span.setAttribute("tollgate.charged_micros", outcome.chargedMicros());
            span.setAttribute("tollgate.streamed", outcome.streamed());
        }
    }

    private static void put(Span span, String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
