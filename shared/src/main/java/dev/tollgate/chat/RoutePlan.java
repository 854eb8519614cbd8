package dev.tollgate.chat;

import dev.tollgate.billing.AccountInDebtException;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.money.Money;
import java.util.List;

/**
 * The models a chat request may be served by, in the order they are tried, and the one hold that covers them all.
 *
 * @param route       the first model, then the fallbacks ({@code models}, each one's catalog fallbacks)
 * @param hold        the request's maximum cost on the dearest model of the route
 * @param autoReason  why auto routing chose the first model, or {@code null} when the request named it
 * @param unaffordable when auto routing found no model the caller can afford: what to tell the caller with the
 *                    403 the hold then answers; {@code null} otherwise
 */
record RoutePlan(List<Routed> route, Money hold, String autoReason, String unaffordable) {

    RoutePlan {
        route = List.copyOf(route);
        if (route.isEmpty()) {
            throw new IllegalArgumentException("a route has at least one model");
        }
    }

    static RoutePlan of(List<Routed> route, String autoReason, String unaffordable) {
        Money hold = route.stream().map(Routed::hold).max(Money::compareTo).orElseThrow();
        return new RoutePlan(route, hold, autoReason, unaffordable);
    }

    ModelEntry primary() {
        return route.getFirst().model();
    }

    List<ModelEntry> models() {
        return route.stream().map(Routed::model).toList();
    }

    ChatLimits limits(ModelEntry model) {
        return routed(model).limits();
    }

    /** The output bound per choice sent upstream for {@code model} if afford mode or a ceiling lowered it, else null. */
    Integer clampedMaxTokens(ModelEntry model) {
        Routed routed = routed(model);
        return routed.clamped() ? routed.limits().maxOutputPerChoice() : null;
    }

    private Routed routed(ModelEntry model) {
        return route.stream().filter(r -> r.model().equals(model)).findFirst().orElseThrow();
    }

    /** The hold's refusal, with which model auto routing would have used when it could afford none. */
    ApiException explain(ApiException refusal) {
        if (unaffordable == null || refusal.code() != ErrorCode.INSUFFICIENT_QUOTA
                || refusal instanceof AccountInDebtException) {
            return refusal;
        }
        return new ApiException(refusal.code(), unaffordable + " " + refusal.getMessage(), refusal.param(),
                refusal.headers(), refusal);
    }
}
