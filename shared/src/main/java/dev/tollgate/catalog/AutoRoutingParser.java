package dev.tollgate.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a catalog's {@code auto} section; a mistake fails the start naming the rule or category and field. */
final class AutoRoutingParser {

    /** Keys of a rule or requirement that are not matcher parameters. */
    private static final Set<String> RULE_KEYS = Set.of("when", "category", "capability", "comment");

    private AutoRoutingParser() {
    }

    static AutoRouting parse(JsonNode auto) {
        if (!auto.isObject()) {
            throw new IllegalArgumentException("auto must be an object with rules and categories");
        }
        List<AutoRouting.Requirement> requirements = new ArrayList<>();
        for (JsonNode node : array(auto, "requirements")) {
            requirements.add(new AutoRouting.Requirement(match(node, "auto.requirements"),
                    text(node, "capability", "auto.requirements")));
        }
        List<AutoRouting.Rule> rules = new ArrayList<>();
        for (JsonNode node : array(auto, "rules")) {
            rules.add(new AutoRouting.Rule(match(node, "auto.rules"), text(node, "category", "auto.rules")));
        }
        Map<String, AutoRouting.Category> categories = new LinkedHashMap<>();
        JsonNode categoryNodes = auto.path("categories");
        if (!categoryNodes.isObject()) {
            throw new IllegalArgumentException("auto.categories must be an object of named preference lists");
        }
        categoryNodes.fields().forEachRemaining(e -> categories.put(e.getKey(), category(e.getKey(), e.getValue())));
        JsonNode room = auto.get("output_room_tokens");
        if (room != null && !(room.isIntegralNumber() && room.canConvertToInt())) {
            throw new IllegalArgumentException("auto.output_room_tokens must be a whole number of tokens");
        }
        return new AutoRouting(requirements, rules, categories, room == null ? 1024 : room.asInt());
    }

    private static AutoRouting.Category category(String name, JsonNode node) {
        String where = "auto.categories." + name;
        List<String> models = new ArrayList<>();
        for (JsonNode id : array(node, "prefer")) {
            if (!id.isTextual() || id.asText().isBlank()) {
                throw new IllegalArgumentException(where + ".prefer must list model ids");
            }
            models.add(id.asText());
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException(where + ".prefer must name at least one model");
        }
        String order = node.path("order").asText("listed");
        return new AutoRouting.Category(name, models, switch (order) {
            case "listed" -> AutoRouting.Order.LISTED;
            case "cheapest" -> AutoRouting.Order.CHEAPEST;
            default -> throw new IllegalArgumentException(where + ".order is listed or cheapest, not '" + order + "'");
        });
    }

    private static AutoRouting.Match match(JsonNode node, String where) {
        MatchKind kind;
        try {
            kind = MatchKind.parse(text(node, "when", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Map<String, Integer> numbers = new LinkedHashMap<>();
        Map<String, Boolean> flags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (RULE_KEYS.contains(name)) {
                continue;
            }
            String param = where + " '" + kind.wireName() + "' parameter " + name;
            if (kind.numberParams().contains(name)) {
                if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
                    throw new IllegalArgumentException(param + " must be a whole number, 0 or more");
                }
                numbers.put(name, value.asInt());
            } else if (kind.flagParams().contains(name)) {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException(param + " must be true or false");
                }
                flags.put(name, value.asBoolean());
            } else {
                throw new IllegalArgumentException(where + ": '" + kind.wireName() + "' takes no parameter " + name);
            }
        }
        return new AutoRouting.Match(kind, numbers, flags);
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode()) {
            return value; // iterates as empty
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("auto: " + field + " must be an array");
        }
        return value;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + " entries need a string field " + field);
        }
        return value.asText();
    }
}
