package dev.tollgate.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How {@code "model": "auto"} chooses (the catalog's {@code auto} section). Every {@link Requirement} whose test
 * matches the request narrows the models to those with its capability; then the {@link Rule}s are tried in order,
 * and the first whose test matches and whose {@link Category} has a model the caller may use, that fits and that
 * the caller can afford, chooses it. Data only: the tests are {@link MatchKind}s, judged in
 * {@code dev.tollgate.routing}.
 *
 * @param requirements     capabilities a request needs, when their test matches
 * @param rules            tried in order; the first with a candidate decides
 * @param categories       preference lists by name ({@code code}, {@code reasoning}, {@code vision}, {@code general})
 * @param outputRoomTokens for a request without {@code max_tokens}: the output room (context left after the
 *                         prompt, and the model's output cap) a model needs to be chosen
 */
public record AutoRouting(List<Requirement> requirements, List<Rule> rules, Map<String, Category> categories,
                          int outputRoomTokens) {

    /** A test of a request: its kind and the kind's parameters. */
    public record Match(MatchKind kind, Map<String, Integer> numbers, Map<String, Boolean> flags) {
        public Match {
            Objects.requireNonNull(kind, "kind");
            numbers = Map.copyOf(numbers);
            flags = Map.copyOf(flags);
        }

        public int number(String name, int otherwise) {
            return numbers.getOrDefault(name, otherwise);
        }

        public boolean flag(String name, boolean otherwise) {
            return flags.getOrDefault(name, otherwise);
        }
    }

    /** When {@code when} matches, only models with {@code capability} can serve the request. */
    public record Requirement(Match when, String capability) {
    }

    /** When {@code when} matches, choose from the category named {@code category}. */
    public record Rule(Match when, String category) {
    }

    /** How a category's models are tried. */
    public enum Order {
        /** In the order listed: a preference. */
        LISTED,
        /** Cheapest first for this request (its hold on each model), the listed order between equals. */
        CHEAPEST
    }

    /** A named preference list. */
    public record Category(String name, List<String> models, Order order) {
        public Category {
            models = List.copyOf(models);
        }
    }

    public AutoRouting {
        requirements = List.copyOf(requirements);
        rules = List.copyOf(rules);
        categories = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(categories));
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("auto needs at least one rule");
        }
        if (outputRoomTokens < 1) {
            throw new IllegalArgumentException("auto.output_room_tokens must be a positive number of tokens");
        }
        for (Rule rule : rules) {
            if (!categories.containsKey(rule.category())) {
                throw new IllegalArgumentException("auto rule '" + rule.when().kind().wireName() + "' names category '"
                        + rule.category() + "', which auto.categories does not define");
            }
        }
    }

    /** Every model a rule can choose, in the order the rules and their categories name them. */
    public List<String> mayChoose() {
        Set<String> ids = new LinkedHashSet<>();
        rules.forEach(rule -> ids.addAll(categories.get(rule.category()).models()));
        return new ArrayList<>(ids);
    }

    /** Fails naming the category and model when a category names a model the catalog lacks or that cannot chat. */
    void checkModels(Map<String, ModelEntry> models) {
        if (models.containsKey("auto")) {
            throw new IllegalArgumentException("the catalog has auto routing, so no model may be called 'auto'");
        }
        for (Category category : categories.values()) {
            for (String id : category.models()) {
                ModelEntry model = models.get(id);
                if (model == null || !model.supports("chat")) {
                    throw new IllegalArgumentException("auto category '" + category.name() + "' names " + id
                            + (model == null ? ", which is not in the catalog" : ", which is not a chat model"));
                }
            }
        }
    }
}
