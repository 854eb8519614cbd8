package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.AutoRouting;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code auto} entry of {@code GET /v1/models}: what auto routing may choose and by which rules. Its limits are
 * the largest of those models' and its capabilities all of theirs; its prices are {@code "-1"} (they are the chosen
 * model's, as OpenRouter lists its own auto router).
 */
final class AutoModelJson {

    private AutoModelJson() {
    }

    static ObjectNode entry(ObjectMapper json, Catalog catalog, AutoRouting auto) {
        List<ModelEntry> choices = auto.mayChoose().stream().map(id -> catalog.find(id).orElseThrow()).toList();
        ObjectNode node = json.createObjectNode();
        node.put("id", "auto");
        node.put("object", "model");
        node.put("created", 1_767_225_600L);
        node.put("owned_by", "tollgate");
        node.put("description", "Tollgate chooses the model for each request by what it contains (images, tools, "
                + "JSON schema, code, reasoning options, length) among the models your key may use and your balance "
                + "can cover; the response's model and the x-tollgate-route header say which and why.");
        node.put("context_length", choices.stream().mapToInt(ModelEntry::contextLength).max().orElse(0));
        node.put("max_output_tokens", choices.stream().mapToInt(ModelEntry::maxOutputTokens).max().orElse(0));
        ObjectNode pricing = node.putObject("pricing");
        for (String field : new String[] {"prompt", "completion", "prompt_per_million", "completion_per_million"}) {
            pricing.put(field, "-1");
        }
        pricing.put("currency", "USD");
        ArrayNode capabilities = node.putArray("capabilities");
        TreeSet<String> all = new TreeSet<>();
        choices.forEach(m -> all.addAll(m.capabilities()));
        all.forEach(capabilities::add);
        node.put("free", false);
        node.set("routing", routing(json, auto));
        return node;
    }

    private static ObjectNode routing(ObjectMapper json, AutoRouting auto) {
        ObjectNode routing = json.createObjectNode();
        ArrayNode mayChoose = routing.putArray("may_choose");
        auto.mayChoose().forEach(mayChoose::add);
        ArrayNode requirements = routing.putArray("requirements");
        for (AutoRouting.Requirement requirement : auto.requirements()) {
            requirements.addObject().put("when", requirement.when().kind().wireName())
                    .put("capability", requirement.capability());
        }
        ArrayNode rules = routing.putArray("rules");
        for (AutoRouting.Rule rule : auto.rules()) {
            ObjectNode node = rules.addObject().put("when", rule.when().kind().wireName());
            rule.when().numbers().forEach(node::put);
            rule.when().flags().forEach(node::put);
            AutoRouting.Category category = auto.categories().get(rule.category());
            node.put("category", category.name());
            node.put("order", category.order().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode prefer = node.putArray("prefer");
            category.models().forEach(prefer::add);
        }
        return routing;
    }
}
