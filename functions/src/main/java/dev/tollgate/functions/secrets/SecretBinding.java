package dev.tollgate.functions.secrets;

import java.util.Arrays;
import java.util.List;

/**
 * Which Secrets Manager secret becomes which {@code tollgate.*} property. On AWS a function's environment
 * holds only the secret's ARN, under {@link #envVar()}; the value is read at start (see {@link SecretsLoader}).
 * A function that must not see a secret simply does not get its ARN variable (nor the IAM grant).
 *
 * <p>The environment variable names are shared with {@code infra/} (CDK stack) and {@code template.yaml}
 * (SAM), which set them; a test in each keeps the names identical.
 */
public enum SecretBinding {

    /** Plain string: the operator token for /admin. */
    ADMIN_TOKEN("TOLLGATE_SECRET_ARN_ADMIN_TOKEN", Shape.STRING, "tollgate.admin.token"),
    /** Plain string: Stripe secret API key ({@code sk_live_...}), used to create Checkout sessions. */
    STRIPE_API_KEY("TOLLGATE_SECRET_ARN_STRIPE_API_KEY", Shape.STRING, "tollgate.stripe.api-key"),
    /** Plain string: the Stripe endpoint signing secret ({@code whsec_...}), used to verify webhooks. */
    STRIPE_WEBHOOK_SECRET("TOLLGATE_SECRET_ARN_STRIPE_WEBHOOK_SECRET", Shape.STRING, "tollgate.stripe.webhook-secret"),
    /** Plain string, generated at the first deploy: signs the web console's session cookies (HMAC-SHA256). */
    CONSOLE_SESSION_SECRET("TOLLGATE_SECRET_ARN_CONSOLE_SESSION_SECRET", Shape.STRING, "tollgate.console.session-secret"),
    /**
     * JSON object, upstream name to API key, e.g. {@code {"groq": "gsk_...", "openai": "sk-..."}}: each entry
     * becomes {@code tollgate.upstreams.<name>.api-key}. Blank values are skipped, so the secret can list
     * every upstream and fill in only those that need a key.
     */
    UPSTREAM_API_KEYS("TOLLGATE_SECRET_ARN_UPSTREAM_API_KEYS", Shape.JSON_MAP, "tollgate.upstreams.*.api-key");

    /** Points tests and local emulators at another Secrets Manager endpoint; unset on AWS. */
    public static final String ENDPOINT_ENV = "TOLLGATE_SECRETS_ENDPOINT";

    /**
     * A plain-string secret whose value starts with this is not filled in yet: its property stays unset, as if
     * the secret were not named (checkout and webhooks then answer 503, which Stripe retries). The CDK stack
     * and the SAM template create the Stripe secrets with this placeholder.
     */
    public static final String PLACEHOLDER = "REPLACE_ME";

    private final String envVar;
    private final Shape shape;
    private final String property;

    SecretBinding(String envVar, Shape shape, String property) {
        this.envVar = envVar;
        this.shape = shape;
        this.property = property;
    }

    public String envVar() {
        return envVar;
    }

    public Shape shape() {
        return shape;
    }

    /** The property the value lands in; for {@link Shape#JSON_MAP} {@code *} stands for each key of the object. */
    public String property() {
        return property;
    }

    /** Every ARN variable, e.g. for the consistency tests of the CDK stack and the SAM template. */
    public static List<String> envVars() {
        return Arrays.stream(values()).map(SecretBinding::envVar).toList();
    }

    /** How the secret string is laid out. */
    public enum Shape {
        /** The whole {@code SecretString} is the value. */
        STRING,
        /** The {@code SecretString} is a flat JSON object of string values. */
        JSON_MAP
    }
}
