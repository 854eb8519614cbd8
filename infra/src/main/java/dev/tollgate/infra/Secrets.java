package dev.tollgate.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The five secrets, named {@code tollgate/<stage>/...}. The functions get their ARNs only (variables
 * {@code TOLLGATE_SECRET_ARN_*}) and read the values at start with Secrets Manager, each function only
 * those it needs (see {@link LambdaFunctions}).
 *
 * <p>The admin token and the console's session secret are generated at the first deploy. The others start with a constant placeholder the
 * application treats as "not set" (checkout and webhooks answer 503, which Stripe retries) until the
 * operator stores the real value (docs/DEPLOY.md). The placeholders never change, so a later deploy never
 * overwrites a value the operator stored.
 */
public final class Secrets extends Construct {

    /** Values starting with this count as not filled in (the functions' SecretBinding agrees). */
    static final String PLACEHOLDER = "REPLACE_ME";

    private final Secret adminToken;
    private final Secret stripeApiKey;
    private final Secret stripeWebhookSecret;
    private final Secret upstreamApiKeys;
    private final Secret consoleSessionSecret;

    public Secrets(Construct scope, String id, StackSettings settings) {
        super(scope, id);
        RemovalPolicy removal = settings.deletionProtection() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        adminToken = Secret.Builder.create(this, "AdminToken")
                .secretName(path(settings, "admin-token"))
                .description("Tollgate " + settings.stage() + ": operator token for /admin (Authorization: Bearer <token>)")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
                .removalPolicy(removal)
                .build();
        // Signs console session cookies; only the api function reads it. Rotating it signs everyone out.
        consoleSessionSecret = Secret.Builder.create(this, "ConsoleSessionSecret")
                .secretName(path(settings, "console-session-secret"))
                .description("Tollgate " + settings.stage() + ": signs the web console's session cookies (HMAC-SHA256)")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(64).excludePunctuation(true).build())
                .removalPolicy(removal)
                .build();
        stripeApiKey = placeholder(settings, "StripeApiKey", "stripe-api-key",
                "Stripe secret API key (sk_live_... or sk_test_...), for Checkout sessions", PLACEHOLDER, removal);
        stripeWebhookSecret = placeholder(settings, "StripeWebhookSecret", "stripe-webhook-secret",
                "Stripe webhook signing secret (whsec_...) of the endpoint at WebhookUrl", PLACEHOLDER, removal);
        upstreamApiKeys = placeholder(settings, "UpstreamApiKeys", "upstream-api-keys",
                "Upstream API keys as a JSON object, upstream name to key, e.g. {\"groq\": \"gsk_...\"}", "{}", removal);
    }

    private Secret placeholder(StackSettings settings, String id, String name, String description, String value,
                               RemovalPolicy removal) {
        return Secret.Builder.create(this, id)
                .secretName(path(settings, name))
                .description("Tollgate " + settings.stage() + ": " + description)
                // A placeholder, not a secret: the operator replaces it with put-secret-value.
                .secretStringValue(SecretValue.unsafePlainText(value))
                .removalPolicy(removal)
                .build();
    }

    private static String path(StackSettings settings, String name) {
        return "tollgate/" + settings.stage() + "/" + name;
    }

    public Secret adminToken() {
        return adminToken;
    }

    public Secret stripeApiKey() {
        return stripeApiKey;
    }

    public Secret stripeWebhookSecret() {
        return stripeWebhookSecret;
    }

    public Secret upstreamApiKeys() {
        return upstreamApiKeys;
    }

    public Secret consoleSessionSecret() {
        return consoleSessionSecret;
    }
}
