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
import dev.tollgate.openai.SpendControls;
import dev.tollgate.routing.AutoRouter;
import dev.tollgate.routing.AutoRouter.Assessment;
import dev.tollgate.routing.AutoRouter.Refusal;
import dev.tollgate.routing.RequestSignals;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Which models may serve a chat request, in order: the named {@code model} or, for {@code "auto"} and {@code ""},
 * the model auto routing chooses; then the request's {@code models}; each followed by its catalog fallbacks. Models
 * over {@code max_price} are left out. The hold covers the dearest model of the route, so whichever serves, the
 * charge (at the served model's prices) is within it. A cost ceiling ({@code max_cost_usd}) refuses the first model
 * and leaves out any other whose hold is above it; afford mode lowers each model's output bound to fit the ceiling and
 * the money left ({@link OutputClamp}).
 */
final class RoutePlanner {

    private final ModelResolver models;
    private final ChatAdmission admission;
    private final TokenCounter tokens;
    private final SpendHeadroom headroom;
    private final BiPredicate<ApiKey, ModelEntry> withinQuota;
    private final AutoRouter auto;
    private final int outputRoom;
    private final int affordMinimum;

    /** The least output bound per choice afford mode lowers a request to, unless configured otherwise. */
    static final int DEFAULT_AFFORD_MINIMUM = 16;

    RoutePlanner(ModelResolver models, ChatAdmission admission, TokenCounter tokens, SpendHeadroom headroom) {
        this(models, admission, tokens, headroom, (key, model) -> true);
    }

    RoutePlanner(ModelResolver models, ChatAdmission admission, TokenCounter tokens, SpendHeadroom headroom,
                 BiPredicate<ApiKey, ModelEntry> withinQuota) {
        this(models, admission, tokens, headroom, withinQuota, DEFAULT_AFFORD_MINIMUM);
    }

    /**
     * @param withinQuota whether the key's account may still use a model today (its {@code daily_token_quota}):
     *                    auto routing passes over a free model whose quota is used up, as over one it cannot afford
     * @param affordMinimum the least output bound per choice afford mode may lower a request to
     */
    RoutePlanner(ModelResolver models, ChatAdmission admission, TokenCounter tokens, SpendHeadroom headroom,
                 BiPredicate<ApiKey, ModelEntry> withinQuota, int affordMinimum) {
        this.affordMinimum = affordMinimum;
        this.models = models;
        this.admission = admission;
        this.tokens = tokens;
        this.headroom = headroom;
        this.withinQuota = withinQuota;
        AutoRouting rules = models.catalog().auto().orElse(null);
        this.auto = rules == null ? null : new AutoRouter(models.catalog(), rules);
        this.outputRoom = rules == null ? 0 : rules.outputRoomTokens();
    }

    RoutePlan plan(ChatRequest request, ApiKey caller) {
        return plan(request, caller, SpendControls.NONE);
    }

    RoutePlan plan(ChatRequest request, ApiKey caller, SpendControls controls) {
        Planning planning = new Planning(request, caller, controls);
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
        List<ModelEntry> priced = new ArrayList<>();
        for (ModelEntry model : named) {
            String why = planning.overPrice(model);
            if (why == null) {
                priced.add(model);
            } else {
                overPrice.put(model.id(), why);
            }
        }
        if (!request.wantsAuto()) {
            if (priced.isEmpty()) {
                throw overMaxPrice("every model of this request", overPrice);
            }
            List<Routed> route = new ArrayList<>();
            for (ModelEntry model : priced) {
                planning.expand(route, model, route.isEmpty());
            }
            return RoutePlan.of(route, null, null);
        }
        if (auto == null) {
            throw new ApiException(ErrorCode.MODEL_NOT_FOUND, "This deployment's catalog has no auto routing: name a model."
                    + " GET /v1/models lists the models you can use.", "model");
        }
        List<Routed> tail = new ArrayList<>();
        for (ModelEntry model : priced) {
            planning.expand(tail, model, false);
        }
        planning.tailHold = tail.stream().map(Routed::hold).max(Money::compareTo).orElse(Money.ZERO);
        AutoRouter.Decision decision = auto.decide(RequestSignals.of(request, tokens), planning::assess);
        if (decision.chosen() == null) {
            return AutoRefusals.noCandidate(decision, caller, planning, tail);
        }
        return RoutePlan.of(planning.withTail(decision.chosen(), tail),
                "auto: " + decision.category() + " -> " + decision.chosen().id(), null);
    }

    static ApiException overMaxPrice(String what, Map<String, String> excluded) {
        StringBuilder list = new StringBuilder();
        excluded.forEach((id, why) -> list.append(list.isEmpty() ? "" : "; ").append(id).append(": ").append(why));
        return ApiException.invalid("max_price", "max_price excludes " + what + " (" + list
                + "). Raise max_price, leave it out, or choose cheaper models (GET /v1/models shows their prices).");
    }

    /** One request being planned: what it admits on each model is worked out once. */
    final class Planning {

        private final ChatRequest request;
        private final ApiKey caller;
        private final SpendControls controls;
        /** By identity: the catalog's entries are single instances, and a record's hash covers every field. */
        private final Map<ModelEntry, Object> admitted = new IdentityHashMap<>();
        private Money tailHold = Money.ZERO;
        private Money available;

        Planning(ChatRequest request, ApiKey caller, SpendControls controls) {
            this.request = request;
            this.caller = caller;
            this.controls = controls;
        }

        /** The route for a model auto routing uses, followed by the request's own fallbacks. */
        List<Routed> withTail(ModelEntry chosen, List<Routed> tail) {
            List<Routed> route = new ArrayList<>();
            expand(route, chosen, true);
            tail.stream().filter(t -> route.stream().noneMatch(r -> r.model().equals(t.model()))).forEach(route::add);
            return route;
        }

        /** One model for auto routing: allowed, fits, within max_price, affordable with every fallback. */
        Assessment assess(ModelEntry model) {
            if (!caller.allowsModel(model.id())) {
                return Assessment.refused(model, Refusal.NOT_ALLOWED, null, Money.ZERO);
            }
            ChatLimits limits;
            try {
                limits = admit(model);
            } catch (ApiException e) {
                return Assessment.refused(model, Refusal.CANNOT_FIT, model.id() + ": " + e.getMessage(), e.param(),
                        Money.ZERO);
            }
            String tooSmall = tooSmall(model, limits);
            if (tooSmall != null) {
                return Assessment.refused(model, Refusal.CANNOT_FIT, tooSmall, "messages", Money.ZERO);
            }
            Routed alone = new Routed(model, limits);
            Money own = alone.hold();
            String dearer = overPrice(model);
            if (dearer != null) {
                return Assessment.refused(model, Refusal.OVER_MAX_PRICE, dearer, own);
            }
            if (underCeiling(alone) == null) {
                return Assessment.refused(model, Refusal.OVER_MAX_COST, model.id() + " may cost up to " + own.display(),
                        controls.param(), own);
            }
            List<Routed> route = new ArrayList<>();
            expand(route, model, true);
            Money hold = route.stream().map(Routed::hold).max(Money::compareTo).orElseThrow().max(tailHold);
            if (model.policy().hasDailyTokenQuota() && !withinQuota.test(caller, model)) {
                return Assessment.refused(model, Refusal.UNAFFORDABLE, "daily token quota used", own);
            }
            if (hold.isZero() || hold.compareTo(available()) <= 0) {
                return Assessment.candidate(model, own);
            }
            return Assessment.refused(model, Refusal.UNAFFORDABLE, null, own);
        }

        /** Read once, and only when a paid model is considered: a free choice costs no balance read. */
        private Money available() {
            if (available == null) {
                available = headroom.available(caller);
            }
            return available;
        }

        /**
         * Why a model is too small for this request when auto routing chooses (a named model is clamped instead):
         * the prompt plus {@code max_tokens} must fit its context and {@code max_tokens} its output cap; without
         * {@code max_tokens}, the catalog's {@code output_room_tokens} must.
         */
        private String tooSmall(ModelEntry model, ChatLimits limits) {
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
        void expand(List<Routed> route, ModelEntry model, boolean first) {
            for (ModelEntry candidate : models.route(model, caller)) {
                boolean primary = first && candidate.equals(model);
                if (route.stream().anyMatch(r -> r.model().equals(candidate)) || (!primary && overPrice(candidate) != null)) {
                    continue;
                }
                Routed routed;
                try {
                    routed = new Routed(candidate, admit(candidate));
                } catch (ApiException e) {
                    if (primary) {
                        throw e;
                    }
                    continue;
                }
                Routed capped = underCeiling(routed);
                if (capped == null) {
                    if (primary) {
                        throw overCeiling(routed);
                    }
                    continue; // a fallback dearer than the ceiling is never tried
                }
                Routed afforded = affordable(capped);
                if (afforded != null || primary) {
                    // A first model that not even the minimum makes affordable goes on: its hold refuses as usual.
                    route.add(afforded == null ? capped : afforded);
                }
            }
        }

        /** {@code routed} within the cost ceiling (its output lowered to fit in afford mode), or {@code null}. */
        private Routed underCeiling(Routed routed) {
            Money ceiling = controls.maxCost();
            if (ceiling == null || routed.hold().compareTo(ceiling) <= 0) {
                return routed;
            }
            return controls.clamp() ? routed.fitTo(ceiling, affordMinimum) : null;
        }

        /**
         * In afford mode, {@code routed} with its output lowered to what the balance, key budget and windows have
         * left (read once), or {@code null} when not even the minimum fits; otherwise {@code routed}. The read is a
         * guess: the hold's conditional write still decides.
         */
        private Routed affordable(Routed routed) {
            if (!controls.clamp() || routed.hold().isZero() || routed.hold().compareTo(available()) <= 0) {
                return routed;
            }
            return routed.fitTo(available(), affordMinimum);
        }

        /** The 400 of a first model whose worst case is over the request's cost ceiling. */
        ApiException overCeiling(Routed routed) {
            ChatLimits limits = routed.limits();
            return controls.exceeded(routed.hold(), routed.model().id() + ": about " + limits.promptTokens()
                    + " prompt tokens and up to " + limits.outputBound() + " output tokens"
                    + (controls.clamp() ? ", and not even " + affordMinimum + " output tokens would fit" : ""));
        }

        /** The 400 when auto routing found every model's worst case over the ceiling. */
        ApiException overCeiling(String details) {
            return ApiException.invalid(controls.param(), "Auto routing found no model whose worst case fits the cost "
                    + "ceiling " + controls.param() + " of " + controls.maxCost().display() + " (" + details + "). "
                    + "Lower max_tokens, send a shorter prompt, or raise the ceiling.");
        }

        /** Why max_price excludes the model, or {@code null}. */
        String overPrice(ModelEntry model) {
            MaxPrice maxPrice = request.maxPrice();
            return maxPrice == null ? null : maxPrice.excludes(model.pricing());
        }

        private ChatLimits admit(ModelEntry model) {
            Object result = admitted.computeIfAbsent(model, m -> {
                try {
                    return admission.admit(request, m);
                } catch (ApiException e) {
                    return e;
                }
            });
            if (result instanceof ApiException e) {
                throw e;
            }
            return (ChatLimits) result;
        }
    }
}
