package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.chat.Quote;
import dev.tollgate.error.ApiException;
import dev.tollgate.openai.SpendControls;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The spending controls every billed endpoint takes besides its body, bound as one {@code @RequestBean}:
 * {@code ?dry_run=true} (a quote instead of the request), the {@code x-tollgate-max-cost-usd} and
 * {@code x-tollgate-afford} headers. The values are raw text: a bad one is the service's 400 naming it, in the
 * endpoint's envelope, rather than a binding error.
 */
@Introspected
public record SpendParams(
        @Parameter(description = "true: answer with a quote (prompt tokens, output bound, worst-case cost, prices, the "
                + "model routing would pick, which limit would refuse it) instead of running the request. No upstream "
                + "call, no hold, no charge, and no rpm/tpm or spend-window counter consumed.",
                schema = @Schema(type = "boolean", defaultValue = "false"))
        @Nullable @QueryValue(DRY_RUN) String dryRun,
        @Parameter(description = "A cost ceiling in dollars, like the body field max_cost_usd (the lower of the two "
                + "applies): a request that may cost more is refused (400); one that runs is never charged more.",
                example = "0.05", schema = @Schema(type = "string"))
        @Nullable @Header(SpendControls.MAX_COST_HEADER) String maxCost,
        @Parameter(description = "clamp: when the balance, key budget, a spend window or the cost ceiling cannot cover "
                + "the full output bound, lower it to what can be afforded (x-tollgate-max-tokens-clamped says to what) "
                + "instead of refusing. Same as the body field tollgate.afford.",
                schema = @Schema(type = "string", allowableValues = {"clamp", "refuse"}))
        @Nullable @Header(SpendControls.AFFORD_HEADER) String afford) {

    static final String DRY_RUN = "dry_run";

    /**
     * Whether {@code request} asks for a quote ({@code ?dry_run}, {@code ?dry_run=true}; the first value if repeated),
     * as the filters that run before the controller see it: a value that is neither is not a quote there, and the
     * controller answers it with a 400.
     */
    static boolean asksForQuote(HttpRequest<?> request) {
        return meansQuote(request.getParameters().get(DRY_RUN));
    }

    /** Whether the caller asked for a quote; anything but true or false is a 400 naming the parameter. */
    boolean isDryRun() {
        if (meansQuote(dryRun)) {
            return true;
        }
        if (dryRun == null || dryRun.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiException.invalid(DRY_RUN, "The query parameter 'dry_run' must be true or false.");
    }

    /** {@code ?dry_run}, {@code ?dry_run=true} (any case): what the filters and the controller take as a quote. */
    private static boolean meansQuote(String value) {
        return value != null && (value.isEmpty() || value.equalsIgnoreCase("true"));
    }

    SpendControls.Headers headers() {
        return new SpendControls.Headers(maxCost, afford);
    }

    static MutableHttpResponse<byte[]> quote(ObjectMapper json, Quote quote) {
        return Json.ok(quote.toJson(json).toString());
    }
}
