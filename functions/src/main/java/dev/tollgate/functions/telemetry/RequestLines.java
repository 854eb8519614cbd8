package dev.tollgate.functions.telemetry;

import dev.tollgate.functions.web.AuthFilter;
import dev.tollgate.functions.web.RequestAttributes;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.telemetry.Billed;
import dev.tollgate.telemetry.RequestContext;
import io.micronaut.http.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per finished {@code /v1} request, on logger {@code tollgate.request}: the fields are key-value pairs,
 * top-level fields of the JSON line ({@link JsonLayout}). Ids, model, status, tokens, µ$ and milliseconds only: the
 * key's id, never its secret, and never a prompt or a completion. Also ends the request's server span.
 */
public final class RequestLines {

    private static final Logger LOG = LoggerFactory.getLogger("tollgate.request");

    private final boolean enabled;

    /** @param enabled whether the lines are written ({@code tollgate.log.requests}); spans end either way */
    public RequestLines(boolean enabled) {
        this.enabled = enabled;
    }

    void finished(RequestContext context, HttpRequest<?> request, ServerTraces.ServerTrace trace, long startedNanos) {
        Billed billed = context.billed();
        ApiKey key = RequestAttributes.get(request, AuthFilter.KEY, ApiKey.class).orElse(null);
        String requestId = billed != null ? billed.requestId()
                : RequestAttributes.get(request, RequestContextFilter.REQUEST_ID, String.class).orElse(null);
        int status = context.httpStatus();
        String accountId = billed != null ? billed.accountId() : key == null ? null : key.accountId();
        String keyId = billed != null ? billed.keyId() : key == null ? null : key.keyId();
        trace.end(status, billed == null
                ? new ServerTraces.Outcome(requestId, accountId, keyId, null, null, 0, 0, 0, false)
                : new ServerTraces.Outcome(requestId, accountId, keyId, billed.model(), billed.status(),
                        billed.inputTokens(), billed.outputTokens(), billed.chargedMicros(), billed.streamed()));
        if (!enabled || !LOG.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder line = LOG.atInfo()
                .addKeyValue("request_id", requestId)
                .addKeyValue("account_id", accountId)
                .addKeyValue("key_id", keyId)
                .addKeyValue("endpoint", context.endpoint())
                .addKeyValue("http_status", status)
                .addKeyValue("latency_ms", (System.nanoTime() - startedNanos) / 1_000_000);
        if (billed != null) {
            line = line.addKeyValue("model", billed.model())
                    .addKeyValue("route", billed.route())
                    .addKeyValue("streamed", billed.streamed())
                    .addKeyValue("ended", billed.status())
                    .addKeyValue("tokens_in", billed.inputTokens())
                    .addKeyValue("tokens_out", billed.outputTokens())
                    .addKeyValue("cost_micros", billed.costMicros())
                    .addKeyValue("charged_micros", billed.chargedMicros());
        }
        line.log("request finished");
    }
}
