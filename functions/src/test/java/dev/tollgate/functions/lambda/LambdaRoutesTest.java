package dev.tollgate.functions.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tollgate.functions.secrets.SecretBinding;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The application and {@code template.yaml} agree (infra's SamTemplateConsistencyTest ties template.yaml to
 * the CDK stack): every route a controller serves is routed by API Gateway and nothing else is; every
 * handler the template names exists and is a Lambda handler; the secret variables the loader reads are the
 * ones the template sets; and the chat function's readiness path and script are the server's.
 */
class LambdaRoutesTest {

    private static final Path TEMPLATE = Path.of("..", "template.yaml");
    private static Map<String, Map<String, Object>> functions;
    private static Map<String, Object> root;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader reader = Files.newBufferedReader(TEMPLATE)) {
            root = new Yaml(new CloudFormationTags()).load(reader);
        }
        functions = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) root.get("Resources")).forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
                functions.put(id, (Map<String, Object>) resource.get("Properties"));
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiGatewayRoutesExactlyTheControllersRoutes() {
        Set<String> served;
        try (ApplicationContext context = ApplicationContext.builder().environments("test").start()) {
            served = context.getBean(Router.class).uriRoutes()
                    .filter(route -> route.getHttpMethod() != HttpMethod.HEAD && route.getHttpMethod() != HttpMethod.OPTIONS)
                    .map(LambdaRoutesTest::gatewayForm).collect(Collectors.toCollection(TreeSet::new));
        }
        // The Prometheus scrape of a long-lived server (docs/METRICS.md): Lambda writes EMF instead, so API Gateway
        // does not route it.
        served.remove("GET /metrics");
        Set<String> routed = new TreeSet<>();
        functions.values().forEach(props -> ((Map<String, Map<String, Object>>) props.getOrDefault("Events", Map.of()))
                .values().stream().filter(event -> "Api".equals(event.get("Type")))
                .map(event -> (Map<String, Object>) event.get("Properties"))
                .forEach(p -> routed.add(p.get("Method") + " " + normalized((String) p.get("Path")))));
        Map<String, Object> api = (Map<String, Object>) ((Map<String, Map<String, Object>>) root.get("Resources"))
                .get("TollgateApi").get("Properties");
        ((Map<String, Map<String, Object>>) ((Map<String, Object>) api.get("DefinitionBody")).get("paths"))
                .forEach((path, methods) -> methods.keySet().forEach(m -> routed.add(m.toUpperCase() + " " + normalized(path))));

        assertThat(served).as("the controllers' routes").hasSizeGreaterThan(10);
        assertThat(routed).isEqualTo(served);
    }

    @Test
    void everyHandlerTheTemplateNamesIsALambdaHandlerInThisModule() throws Exception {
        for (Map<String, Object> props : functions.values()) {
            String handler = (String) props.get("Handler");
            if (handler.equals("run.sh")) {
                continue;
            }
            String[] parts = handler.split("::");
            Class<?> type = Class.forName(parts[0]);
            assertThat(RequestHandler.class).as(handler).isAssignableFrom(type);
            assertThat(List.of(type.getMethods())).as(handler).anyMatch(m -> m.getName().equals(parts[1]));
            assertThat(type.getConstructor()).as("Lambda needs a public no-argument constructor").isNotNull();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTemplateSetsTheVariablesTheApplicationReads() throws IOException {
        Set<String> variables = new TreeSet<>();
        functions.values().forEach(props -> {
            Map<String, Object> env = (Map<String, Object>) props.get("Environment");
            if (env != null) {
                variables.addAll(((Map<String, Object>) env.get("Variables")).keySet());
            }
        });
        assertThat(variables).containsAll(SecretBinding.envVars());
        Map<String, Object> chat = (Map<String, Object>) ((Map<String, Object>) functions.get("ChatFunction").get("Environment"))
                .get("Variables");
        assertThat(chat.get("AWS_LWA_READINESS_CHECK_PATH")).isEqualTo(ChatServer.READINESS_PATH);
        assertThat(functions.get("ChatFunction").get("Handler")).isEqualTo("run.sh");
        String script = Files.readString(Path.of("src/main/lambda/run.sh"));
        assertThat(script).contains(ChatServer.class.getName()).contains("AWS_LWA_PORT");
        assertThat(Files.isExecutable(Path.of("src/main/lambda/run.sh"))).isTrue();
    }

    /**
     * A route in API Gateway's notation, parameter names dropped. A variable with a pattern ({@code {id:\\S+}}, which
     * may match '/') or a reserved expansion ({@code {+id}}) is a greedy API Gateway variable: {@code {id+}}.
     */
    private static String gatewayForm(UriRouteInfo<?, ?> route) {
        String template = route.getUriMatchTemplate().toString();
        int query = template.indexOf("{?");
        if (query >= 0) {
            template = template.substring(0, query);
        }
        String greedy = template.replaceAll("\\{\\+([^}]+)}", "{$1+}").replaceAll("\\{([^}:]+):[^}]+}", "{$1+}");
        return route.getHttpMethod().name() + " " + normalized(greedy);
    }

    private static String normalized(String path) {
        return path.replaceAll("\\{[^}+]+(\\+?)}", "{param$1}");
    }

    /** Reads CloudFormation's short-form tags ({@code !Ref}, {@code !Sub}...) as plain maps. */
    static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    Object value = switch (node) {
                        case ScalarNode scalar -> constructScalar(scalar);
                        case SequenceNode sequence -> constructSequence(sequence);
                        case MappingNode mapping -> constructMapping(mapping);
                        default -> throw new IllegalStateException("unexpected node " + node);
                    };
                    return Map.of(tag.equals("Ref") ? tag : "Fn::" + tag, value);
                }
            });
        }
    }
}
