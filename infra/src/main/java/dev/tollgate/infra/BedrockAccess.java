package dev.tollgate.infra;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.catalog.ModelEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.IGrantable;

/**
 * Upstream targets in the {@code upstreams} context: a base URL (OpenAI-compatible), {@code responses:<base URL>}
 * (OpenAI-compatible, called on its Responses API), {@code anthropic:<base URL>} or {@code bedrock:<region>}; and
 * the one IAM statement that lets the chat function (or the Fargate task) invoke exactly the Bedrock models the
 * deployed catalog sells, nothing else.
 */
final class BedrockAccess {

    static final String BEDROCK = "bedrock:";
    static final String ANTHROPIC = "anthropic:";
    static final String RESPONSES = "responses:";
    /** Cross-region inference profiles are a geography prefix on a model id, e.g. {@code us.anthropic.claude-...}. */
    private static final Pattern PROFILE = Pattern.compile("^(us|eu|apac|global|us-gov|jp|au|ca)\\.(.+)$");

    private BedrockAccess() {
    }

    /**
     * The environment of every upstream: {@code TOLLGATE_UPSTREAMS_<NAME>_BASE_URL}, {@code _KIND}, {@code _REGION},
     * {@code _API}.
     */
    static void environment(String name, String target, Map<String, String> env) {
        String prefix = "TOLLGATE_UPSTREAMS_" + name.toUpperCase(Locale.ROOT) + "_";
        if (target.startsWith(BEDROCK)) {
            env.put(prefix + "KIND", "bedrock");
            env.put(prefix + "REGION", target.substring(BEDROCK.length()));
        } else if (target.startsWith(RESPONSES)) {
            env.put(prefix + "API", "responses");
            env.put(prefix + "BASE_URL", target.substring(RESPONSES.length()));
        } else if (target.startsWith(ANTHROPIC)) {
            env.put(prefix + "KIND", "anthropic");
            env.put(prefix + "BASE_URL", target.substring(ANTHROPIC.length()));
        } else {
            env.put(prefix + "BASE_URL", target);
        }
    }

    /**
     * Grants {@code bedrock:InvokeModel} and {@code bedrock:InvokeModelWithResponseStream} on the foundation models
     * (and inference profiles) that catalog models on a Bedrock upstream name; no statement when there are none.
     */
    static void grant(IGrantable grantee, StackSettings settings) {
        List<String> resources = resources(settings);
        if (!resources.isEmpty()) {
            grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"))
                    .resources(resources).build());
        }
    }

    static List<String> resources(StackSettings settings) {
        Catalog catalog = settings.catalogOverlay()
                .map(file -> CatalogLoader.loadWithOverlays(List.of(file.toAbsolutePath())))
                .orElseGet(CatalogLoader::loadDefault);
        TreeSet<String> arns = new TreeSet<>();
        for (ModelEntry model : catalog.models()) {
            region(settings, model.upstream()).ifPresent(region -> arns.addAll(arns(region, model.upstreamModel())));
        }
        return List.copyOf(arns);
    }

    private static Optional<String> region(StackSettings settings, String upstream) {
        String target = settings.upstreams().get(upstream);
        return target != null && target.startsWith(BEDROCK) ? Optional.of(target.substring(BEDROCK.length())) : Optional.empty();
    }

    private static List<String> arns(String region, String modelId) {
        String partition = Aws.PARTITION;
        var profile = PROFILE.matcher(modelId);
        if (profile.matches()) {
            // A profile routes to the model in any region of its geography: the profile, and the model everywhere.
            return List.of("arn:" + partition + ":bedrock:" + region + ":" + Aws.ACCOUNT_ID + ":inference-profile/" + modelId,
                    "arn:" + partition + ":bedrock:*::foundation-model/" + profile.group(2));
        }
        return List.of("arn:" + partition + ":bedrock:" + region + "::foundation-model/" + modelId);
    }
}
