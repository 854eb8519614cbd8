package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.chat.Quote;
import dev.tollgate.error.ApiException;
import dev.tollgate.openai.SpendControls;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The spending controls every billed endpoint takes besides its body: {@code ?dry_run=true} (a quote instead of the
 * request), the {@code x-tollgate-max-cost-usd} and {@code x-tollgate-afford} headers. Read from the request rather
 * than bound as method parameters, so that each endpoint only adds {@link Documented} and one line.
 */
final class SpendParams {

    static final String DRY_RUN = "dry_run";

    private SpendParams() {
    }

    /** The OpenAPI description of the three, for every billed operation. */
    @Retention(RetentionPolicy.CLASS)
    @Target(ElementType.METHOD)
    @Parameter(name = DRY_RUN, in = ParameterIn.QUERY, schema = @Schema(type = "boolean", defaultValue = "false"),
            description = "true: answer with a quote (prompt tokens, output bound, worst-case cost, prices, the model "
                    + "routing would pick, which limit would refuse it) instead of running the request. No upstream "
                    + "call, no hold, no charge, and no rpm/tpm or spend-window counter consumed.")
    @Parameter(name = SpendControls.MAX_COST_HEADER, in = ParameterIn.HEADER, schema = @Schema(type = "string"),
            example = "0.05", description = "A cost ceiling in dollars, like the body field max_cost_usd (the lower of "
                    + "the two applies): a request that may cost more is refused (400); one that runs is never charged "
                    + "more.")
    @Parameter(name = SpendControls.AFFORD_HEADER, in = ParameterIn.HEADER,
            schema = @Schema(type = "string", allowableValues = {"clamp", "refuse"}),
            description = "clamp: when the balance, key budget, a spend window or the cost ceiling cannot cover the "
                    + "full output bound, lower it to what can be afforded (x-tollgate-max-tokens-clamped says to "
                    + "what) instead of refusing. Same as the body field tollgate.afford.")
    @interface Documented {
    }

    /** Whether the caller asked for a quote; anything but true or false is a 400 naming the parameter. */
    static boolean dryRun(HttpRequest<?> http) {
        String value = http.getParameters().get(DRY_RUN);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.isEmpty()) {
            return true;
        }
        throw ApiException.invalid(DRY_RUN, "The query parameter 'dry_run' must be true or false.");
    }

    static SpendControls.Headers headers(HttpRequest<?> http) {
        return new SpendControls.Headers(http.getHeaders().get(SpendControls.MAX_COST_HEADER),
                http.getHeaders().get(SpendControls.AFFORD_HEADER));
    }

    static MutableHttpResponse<byte[]> quote(ObjectMapper json, Quote quote) {
        return Json.ok(quote.toJson(json).toString());
    }
}
