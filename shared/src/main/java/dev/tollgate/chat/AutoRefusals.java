package dev.tollgate.chat;

import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.routing.AutoRouter;
import dev.tollgate.routing.AutoRouter.Assessment;
import dev.tollgate.routing.AutoRouter.Refusal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the caller hears when auto routing finds no candidate: the refusal of the models that got furthest (an
 * affordable model beats one over max_price, which beats one too small, which beats one the key may not use). When
 * the only thing missing is money, the request goes on with the cheapest such model so that the hold answers as for
 * any request (403 {@code insufficient_quota}, or a success if a top-up landed in between), naming that model.
 */
final class AutoRefusals {

    private AutoRefusals() {
    }

    static RoutePlan noCandidate(AutoRouter.Decision decision, ApiKey caller, RoutePlanner.Planning planning,
                                 List<Routed> tail) {
        List<Assessment> considered = decision.considered();
        Refusal furthest = considered.stream().map(Assessment::refusal).max(Comparator.naturalOrder()).orElse(null);
        if (furthest == null) {
            throw ApiException.invalid("model", "Auto routing has no rule for this request in this deployment's catalog."
                    + " Name a model; GET /v1/models lists them.");
        }
        List<Assessment> stopped = considered.stream().filter(a -> a.refusal() == furthest).toList();
        return switch (furthest) {
            case UNAFFORDABLE -> {
                ModelEntry cheapest = stopped.stream().min(Comparator.comparing(Assessment::hold)).orElseThrow().model();
                yield RoutePlan.of(planning.withTail(cheapest, tail), "auto: none affordable -> " + cheapest.id(),
                        "The cheapest model auto routing can choose for this request is " + cheapest.id() + ".");
            }
            case OVER_MAX_PRICE -> {
                Map<String, String> excluded = new LinkedHashMap<>();
                stopped.forEach(a -> excluded.put(a.model().id(), a.detail()));
                throw RoutePlanner.overMaxPrice("every model auto routing can choose for this request", excluded);
            }
            case OVER_MAX_COST -> throw planning.overCeiling(stopped.stream().map(Assessment::detail)
                    .collect(Collectors.joining("; ")));
            case CANNOT_FIT -> throw ApiException.invalid(stopped.getFirst().param(), "Auto routing found no model that "
                    + "can take this request. " + stopped.stream().map(Assessment::detail).collect(Collectors.joining(" "))
                    + ("messages".equals(stopped.getFirst().param()) ? " Shorten the messages or lower max_tokens." : ""));
            case NOT_ALLOWED -> throw new ApiException(ErrorCode.MODEL_NOT_ALLOWED, "This API key may not use the models "
                    + "auto routing would choose for this request (" + ids(stopped) + "). It may use: "
                    + String.join(", ", caller.allowedModels().stream().sorted().toList())
                    + ". Name one of those, or ask an account manager to widen the key's model list.", "model");
            case MISSING_CAPABILITY -> throw ApiException.invalid("model", "No model auto routing can choose has "
                    + String.join(" and ", decision.required()) + ", which this request needs (" + ids(stopped)
                    + " lack it). GET /v1/models shows each model's capabilities.");
        };
    }

    private static String ids(List<Assessment> assessments) {
        return assessments.stream().map(a -> a.model().id()).collect(Collectors.joining(", "));
    }
}
