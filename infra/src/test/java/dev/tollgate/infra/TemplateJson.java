package dev.tollgate.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.assertions.Template;

/** Plain-map queries over a synthesized template: resources by type, a function's role and what its policies name. */
final class TemplateJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> resources;

    @SuppressWarnings("unchecked")
    TemplateJson(Template template) {
        this.resources = (Map<String, Object>) template.toJSON().get("Resources");
    }

    /** Logical id to Properties of every resource of {@code type}. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> ofType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (type.equals(resource.get("Type"))) {
                found.put(id, (Map<String, Object>) resource.getOrDefault("Properties", Map.of()));
            }
        });
        return found;
    }

    /** The logical id of the resource of {@code type} whose {@code property} equals {@code value}. */
    String idOf(String type, String property, Object value) {
        return ofType(type).entrySet().stream().filter(e -> value.equals(e.getValue().get(property)))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " with " + property + " = " + value));
    }

    /** The function (AWS::Lambda::Function) named {@code functionName}. */
    Map<String, Object> function(String functionName) {
        return ofType("AWS::Lambda::Function").get(idOf("AWS::Lambda::Function", "FunctionName", functionName));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> environment(String functionName) {
        Map<String, Object> environment = (Map<String, Object>) function(functionName).get("Environment");
        return environment == null ? Map.of() : (Map<String, Object>) environment.get("Variables");
    }

    /** Every IAM policy statement attached to the role of {@code functionName}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statements(String functionName) {
        Map<String, Object> role = (Map<String, Object>) function(functionName).get("Role");
        return roleStatements(((List<String>) role.get("Fn::GetAtt")).getFirst());
    }

    /** Every IAM policy statement attached to the role with logical id {@code roleId}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> roleStatements(String roleId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        ofType("AWS::IAM::Policy").values().forEach(policy -> {
            List<Object> roles = (List<Object>) policy.get("Roles");
            if (roles != null && roles.contains(Map.of("Ref", roleId))) {
                Map<String, Object> document = (Map<String, Object>) policy.get("PolicyDocument");
                statements.addAll((List<Map<String, Object>>) document.get("Statement"));
            }
        });
        return statements;
    }

    /** Which of {@code candidates} (logical ids) the statements of {@code functionName} with an action starting {@code service:} name. */
    Set<String> referenced(String functionName, String service, Set<String> candidates) {
        return referenced(statements(functionName), service, candidates);
    }

    /** Which of {@code candidates} (logical ids) those of {@code statements} whose actions all start {@code service:} name. */
    static Set<String> referenced(List<Map<String, Object>> statements, String service, Set<String> candidates) {
        Set<String> found = new TreeSet<>();
        for (Map<String, Object> statement : statements) {
            if (!actions(statement).stream().allMatch(action -> action.startsWith(service + ":"))) {
                continue;
            }
            String resource = json(statement.get("Resource"));
            candidates.stream().filter(id -> resource.contains("\"" + id + "\"")).forEach(found::add);
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
