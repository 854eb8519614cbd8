package dev.tollgate.chat;

import dev.tollgate.catalog.AutoRouting;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.openai.MaxPrice;
import dev.tollgate.routing.AutoRouter;
import dev.tollgate.routing.AutoRouter.Assessment;
import dev.tollgate.routing.AutoRouter.Refusal;
import dev.tollgate.routing.RequestSignals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which models may serve a chat request, in order: the named {@code model} or, for {@code "auto"} and {@code ""},
 * the model auto routing chooses; then the request's {@code models}; each followed by its catalog fallbacks. Models
 * over {@code max_price} are left out. The hold covers the dearest model of the route, so whichever serves, the
 * charge (at the served model's prices) is within it.
 */
final class RoutePlanner {

    private final ModelResolver models;
    private final ChatAdmission admission;
    private final TokenCounter tokens;
    private final SpendHeadroom headroom;
    private final AutoRouter auto;
    private final int outputRoom;

    RoutePlanner(ModelResolver models, ChatAdmission admission, TokenCounter tokens, SpendHeadroom headroom) {
        this.models = models;
        this.admission = admission;
        this.tokens = tokens;
        this.headroom = headroom;
        AutoRouting rules = models.catalog().auto().orElse(null);
        this.auto = rules == null ? null : new AutoRouter(models.catalog(), rules);
        this.outputRoom = rules == null ? 0 : rules.outputRoomTokens();
    }

    RoutePlan plan(ChatRequest request, ApiKey caller) {
        MaxPrice maxPrice = request.maxPrice();
        List<ModelEntry> named = new ArrayList<>();
        if (request.model() != null && !request.wantsAuto()) {
            named.add(models.resolveChat(caller, request.model()));
        }
        for (String id : request.fallbackModels()) {
            ModelEntry model = models.resolveChat(caller, id); // 404 or 403 naming it
            if (!named.contains(model)) {
                named.add(model);
            }
        }
        Map<String, String> overPrice = new LinkedHashMap<>();
        List<ModelEntry> priced = named.stream().filter(m -> withinPrice(m, maxPrice, overPrice)).toList();
        if (!request.wantsAuto()) {
            if (priced.isEmpty()) {
                throw overMaxPrice("every model of this request", overPrice);
            }
            List<Routed> route = new ArrayList<>();
            for (ModelEntry model : priced) {
                expand(route, request, caller, model, maxPrice, route.isEmpty());
            }
            return RoutePlan.of(route, null, null);
        }
        return planAuto(request, caller, priced);
    }

    private RoutePlan planAuto(ChatRequest request, ApiKey caller, List<ModelEntry> listed) {
        if (auto == null) {
            throw new ApiException(ErrorCode.MODEL_NOT_FOUND, "This deployment's catalog has no auto routing: name a model."
                    + " GET /v1/models lists the models you can use.", "model");
        }
        MaxPrice maxPrice = request.maxPrice();
        List<Routed> tail = new ArrayList<>();
        for (ModelEntry model : listed) {
            expand(tail, request, caller, model, maxPrice, false);
        }
        Money tailHold = tail.stream().map(Routed::hold).max(Money::compareTo).orElse(Money.ZERO);
        Supplier<Money> available = once(() -> headroom.available(caller));
        AutoRouter.Decision decision = auto.decide(RequestSignals.of(request, tokens),
                model -> assess(request, caller, model, maxPrice, tailHold, available));
        if (decision.chosen() != null) {
            return RoutePlan.of(withTail(request, caller, decision.chosen(), tail),
                    "auto: " + decision.category() + " -> " + decision.chosen().id(), null);
        }
        return AutoRefusals.noCandidate(decision, caller, request, this, tail);
    }

    /** The route for a model auto routing would use, followed by the request's own fallbacks. */
    List<Routed> withTail(ChatRequest request, ApiKey caller, ModelEntry chosen, List<Routed> tail) {
        List<Routed> route = new ArrayList<>();
        expand(route, request, caller, chosen, request.maxPrice(), true);
        tail.stream().filter(t -> route.stream().noneMatch(r -> r.model().equals(t.model()))).forEach(route::add);
        return route;
    }

    /** One model for auto routing: allowed, fits, within max_price, affordable with its fallbacks. */
    private Assessment assess(ChatRequest request, ApiKey caller, ModelEntry model, MaxPrice maxPrice, Money tailHold,
                              Supplier<Money> available) {
        if (!caller.allowsModel(model.id())) {
            return Assessment.refused(model, Refusal.NOT_ALLOWED, null, Money.ZERO);
        }
        ChatLimits limits;
        try {
            limits = admission.admit(request, model);
        } catch (ApiException e) {
            return Assessment.refused(model, Refusal.CANNOT_FIT, model.id() + ": " + e.getMessage(), e.param(), Money.ZERO);
        }
        String tooSmall = tooSmall(request, model, limits);
        if (tooSmall != null) {
            return Assessment.refused(model, Refusal.CANNOT_FIT, tooSmall, "messages", Money.ZERO);
        }
        Money own = new Routed(model, limits).hold();
        String dearer = maxPrice == null ? null : maxPrice.excludes(model.pricing());
        if (dearer != null) {
            return Assessment.refused(model, Refusal.OVER_MAX_PRICE, dearer, own);
        }
        List<Routed> route = new ArrayList<>();
        expand(route, request, caller, model, maxPrice, true);
        Money hold = route.stream().map(Routed::hold).max(Money::compareTo).orElseThrow().max(tailHold);
        if (hold.isZero() || hold.compareTo(available.get()) <= 0) {
            return Assessment.candidate(model, own);
        }
        return Assessment.refused(model, Refusal.UNAFFORDABLE, null, own);
    }

    /**
     * Why a model is too small for this request when auto routing chooses (a named model is clamped instead): the
     * prompt plus {@code max_tokens} must fit its context and {@code max_tokens} its output cap; without
     * {@code max_tokens}, the catalog's {@code output_room_tokens} must.
     */
    private String tooSmall(ChatRequest request, ModelEntry model, ChatLimits limits) {
        int requested = request.requestedMaxTokens();
        int need = requested > 0 ? requested : outputRoom;
        int room = Math.min(model.maxOutputTokens(), model.contextLength() - limits.promptTokens());
        if (room >= need) {
            return null;
        }
        return model.id() + " has room for " + Math.max(room, 0) + " output tokens after a prompt of about "
                + limits.promptTokens() + " tokens (context " + model.contextLength() + ", output cap "
                + model.maxOutputTokens() + "); this request needs " + need
                + (requested > 0 ? " (" + request.maxTokensField() + ")" : "") + ".";
    }

    /**
     * Adds {@code model} and its catalog fallbacks (those the key may use, within max_price, that accept the
     * request) to {@code route}, skipping models already on it. A {@code first} model's refusal is the caller's
     * answer; any other model that refuses the request is left out.
     */
    private void expand(List<Routed> route, ChatRequest request, ApiKey caller, ModelEntry model, MaxPrice maxPrice,
                        boolean first) {
        for (ModelEntry candidate : models.route(model, caller)) {
            boolean primary = first && candidate.equals(model);
            if (route.stream().anyMatch(r -> r.model().equals(candidate))
                    || (!primary && maxPrice != null && maxPrice.excludes(candidate.pricing()) != null)) {
                continue;
            }
            try {
                route.add(new Routed(candidate, admission.admit(request, candidate)));
            } catch (ApiException e) {
                if (primary) {
                    throw e;
                }
            }
        }
    }

    private static boolean withinPrice(ModelEntry model, MaxPrice maxPrice, Map<String, String> overPrice) {
        String why = maxPrice == null ? null : maxPrice.excludes(model.pricing());
        if (why != null) {
            overPrice.put(model.id(), why);
        }
        return why == null;
    }

    static ApiException overMaxPrice(String what, Map<String, String> excluded) {
        StringBuilder list = new StringBuilder();
        excluded.forEach((id, why) -> list.append(list.isEmpty() ? "" : "; ").append(id).append(": ").append(why));
        return ApiException.invalid("max_price", "max_price excludes " + what + " (" + list
                + "). Raise max_price, leave it out, or choose cheaper models (GET /v1/models shows their prices).");
    }

    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
