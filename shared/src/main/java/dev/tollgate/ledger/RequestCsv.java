package dev.tollgate.ledger;

import java.util.Arrays;
import java.util.List;

/** Request log rows as CSV (the console's export): one line per request, dollars with six decimals. */
public final class RequestCsv {

    public static final List<String> HEADER = List.of("time", "request_id", "key_id", "key_name", "model", "route",
            "streamed", "status", "reconciled", "reversed", "prompt_tokens", "completion_tokens", "reasoning_tokens",
            "cached_tokens", "cost_usd", "charged_usd", "hold_usd", "shortfall_usd", "latency_ms");

    private RequestCsv() {
    }

    /** The header line only; append {@link #rows} of each page. */
    public static String header() {
        return new Csv().row(HEADER).toString();
    }

    public static String rows(List<RequestRecord> records) {
        Csv csv = new Csv();
        for (RequestRecord r : records) {
            csv.row(Arrays.asList(r.at().toString(), r.requestId(), r.keyId(), r.keyName(), r.model(), r.route(),
                    r.streamed() == null ? null : r.streamed().toString(), r.status(), Boolean.toString(r.reconciled()),
                    Boolean.toString(r.reversed()), r.usage().promptTokens(), r.usage().completionTokens(),
                    r.usage().reasoningTokens(), r.usage().cachedTokens(), Csv.money(r.cost()), Csv.money(r.charged()),
                    r.hold() == null ? null : Csv.money(r.hold()), Csv.money(r.shortfall()), r.latencyMs()));
        }
        return csv.toString();
    }
}
