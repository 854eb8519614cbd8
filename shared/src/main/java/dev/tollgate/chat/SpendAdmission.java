package dev.tollgate.chat;

import dev.tollgate.billing.FreeQuota;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.openai.SpendControls;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A chat request's way to its hold under the caller's spend controls: plan the route (cost ceiling, afford mode),
 * check the daily quota, take the one hold, and in afford mode try once more with a fresh read when another request
 * took the money first. A quote is the same walk without the hold.
 */
final class SpendAdmission {

    private final RoutePlanner planner;
    private final RequestBilling billing;
    private final FreeQuota quota;

    /** @param quota the daily token quotas of the catalog's models, or {@code null} for none */
    SpendAdmission(RoutePlanner planner, RequestBilling billing, FreeQuota quota) {
        this.planner = planner;
        this.billing = billing;
        this.quota = quota;
    }

    /** A request's route and its hold, taken under the request's cost ceiling. */
    record Admitted(RoutePlan route, Reservation reservation) {
    }

    /** The request's route under its spend controls, and the daily quota of its first model checked. */
    RoutePlan plan(ApiKey caller, ChatRequest request, SpendControls controls, Instant arrival) {
        RoutePlan route = planner.plan(request, caller, controls);
        if (quota != null) {
            quota.check(caller.accountId(), route.primary().id(), LocalDate.ofInstant(arrival, ZoneOffset.UTC));
        }
        return route;
    }

    /**
     * Takes the hold of {@code route}. In afford mode its output bounds were lowered to a read of what is left; when
     * the hold's conditional write refuses because another request took the money in between, the route is planned
     * again from a new read, once, and the lower hold tried: a hold is never taken unconditionally.
     */
    Admitted hold(ApiKey caller, ChatRequest request, SpendControls controls, RoutePlan route, String requestId,
                  Instant arrival, boolean streamed) {
        try {
            return new Admitted(route, reserve(caller, route, requestId, streamed).withCeiling(controls.maxCost()));
        } catch (ApiException refused) {
            if (!controls.clamp() || !Affordability.moneyRefusal(refused)) {
                throw refused;
            }
            RoutePlan again = plan(caller, request, controls, arrival);
            if (again.hold().compareTo(route.hold()) >= 0) {
                throw refused;
            }
            return new Admitted(again, reserve(caller, again, requestId, streamed).withCeiling(controls.maxCost()));
        }
    }

    /** One hold for the whole route; a refusal says which model auto routing would have used. */
    private Reservation reserve(ApiKey caller, RoutePlan route, String requestId, boolean streamed) {
        // The most tokens any model of the route may use, counted towards a key's tpm_limit until settlement.
        long maxTokens = route.route().stream().mapToLong(r -> r.limits().promptTokens() + r.limits().outputBound())
                .max().orElseThrow();
        try {
            return billing.reserve(caller, route.primary().id(), requestId, route.hold(), maxTokens, streamed);
        } catch (ApiException e) {
            throw route.explain(e);
        }
    }

    /**
     * A dry run ({@code ?dry_run=true}): the request validated, routed, admitted and (in afford mode) clamped exactly
     * as it would be, and the limits it would meet read, but no upstream call, no hold, no ledger entry, and no
     * spend-window or per-minute counter touched. A request over its cost ceiling is quoted with that refusal.
     */
    Quote quote(ApiKey caller, ChatRequest request, SpendControls controls) {
        RoutePlan route;
        ApiException overCeiling = null;
        try {
            route = planner.plan(request, caller, controls);
        } catch (ApiException e) {
            if (controls.maxCost() == null || !controls.param().equals(e.param())) {
                throw e;
            }
            overCeiling = e;
            route = planner.plan(request, caller, new SpendControls(null, null, controls.clamp()));
        }
        ModelEntry model = route.primary();
        ChatLimits limits = route.limits(model);
        return new Quote(model.id(), route.models().stream().map(ModelEntry::id).toList(), route.autoReason(),
                limits.promptTokens(), limits.maxOutputPerChoice(), limits.choices(),
                route.clampedMaxTokens(model) != null, route.hold(), model.pricing(), controls, overCeiling,
                Headroom.read(billing, caller));
    }
}
