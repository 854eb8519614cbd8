package dev.tollgate.routing;

import dev.tollgate.catalog.AutoRouting;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.money.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses the model for {@code "model": "auto"} by the catalog's rules: the requirements that match narrow the
 * models to those with their capabilities; then the first matching rule whose category has a candidate chooses
 * (the first listed, or the cheapest for this request). Whether a model is a candidate for this caller (allowed,
 * fits, within {@code max_price}, affordable) is the {@link Judge}'s answer, asked at most once per model and only
 * when needed, so that a balance is read only if a paid model is considered.
 */
public final class AutoRouter {

    /** Why a model is not a candidate, in the order the checks run: a later one means the model got further. */
    public enum Refusal { MISSING_CAPABILITY, NOT_ALLOWED, CANNOT_FIT, OVER_MAX_PRICE, OVER_MAX_COST, UNAFFORDABLE }

    /**
     * What was found about one model for this request.
     *
     * @param refusal {@code null} for a candidate
     * @param detail  why it was refused, in words, or {@code null}
     * @param param   the request field that made it refuse, or {@code null}
     * @param hold    what this request would hold on the model alone ({@link Money#ZERO} when not known)
     */
    public record Assessment(ModelEntry model, Refusal refusal, String detail, String param, Money hold) {
        public Assessment {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(hold, "hold");
        }

        public static Assessment candidate(ModelEntry model, Money hold) {
            return new Assessment(model, null, null, null, hold);
        }

        public static Assessment refused(ModelEntry model, Refusal refusal, String detail, Money hold) {
            return refused(model, refusal, detail, null, hold);
        }

        public static Assessment refused(ModelEntry model, Refusal refusal, String detail, String param, Money hold) {
            return new Assessment(model, Objects.requireNonNull(refusal, "refusal"), detail, param, hold);
        }

        public boolean isCandidate() {
            return refusal == null;
        }
    }

    /** Judges one model that has every required capability. */
    @FunctionalInterface
    public interface Judge {
        Assessment assess(ModelEntry model);
    }

    /**
     * The outcome: the chosen model and the category that chose it, or none (then {@code considered} says what
     * stopped each model the matching rules named).
     *
     * @param required the capabilities the request needs
     */
    public record Decision(ModelEntry chosen, String category, Set<String> required, List<Assessment> considered) {
        public Decision {
            required = Set.copyOf(required);
            considered = List.copyOf(considered);
        }
    }

    private final Catalog catalog;
    private final AutoRouting auto;

    public AutoRouter(Catalog catalog, AutoRouting auto) {
        this.catalog = catalog;
        this.auto = auto;
    }

    public Decision decide(RequestSignals signals, Judge judge) {
        Set<String> required = new LinkedHashSet<>();
        for (AutoRouting.Requirement requirement : auto.requirements()) {
            if (Matchers.matches(requirement.when(), signals)) {
                required.add(requirement.capability());
            }
        }
        Map<String, Assessment> seen = new LinkedHashMap<>();
        for (AutoRouting.Rule rule : auto.rules()) {
            if (!Matchers.matches(rule.when(), signals)) {
                continue;
            }
            AutoRouting.Category category = auto.categories().get(rule.category());
            List<Assessment> candidates = new ArrayList<>();
            for (String id : category.models()) {
                Assessment assessment = seen.computeIfAbsent(id, k -> assess(k, required, judge));
                if (!assessment.isCandidate()) {
                    continue;
                }
                if (category.order() == AutoRouting.Order.LISTED) {
                    return new Decision(assessment.model(), category.name(), required, List.copyOf(seen.values()));
                }
                candidates.add(assessment);
            }
            if (!candidates.isEmpty()) {
                // Stable: the listed order decides between models this request costs the same on.
                Assessment cheapest = candidates.stream().min(Comparator.comparing(Assessment::hold)).orElseThrow();
                return new Decision(cheapest.model(), category.name(), required, List.copyOf(seen.values()));
            }
        }
        return new Decision(null, null, required, List.copyOf(seen.values()));
    }

    private Assessment assess(String id, Set<String> required, Judge judge) {
        ModelEntry model = catalog.find(id).orElseThrow(); // the catalog checked its auto section at load
        List<String> missing = required.stream().filter(c -> !model.supports(c)).toList();
        if (!missing.isEmpty()) {
            return Assessment.refused(model, Refusal.MISSING_CAPABILITY, "no " + String.join(", ", missing), Money.ZERO);
        }
        return judge.assess(model);
    }
}
