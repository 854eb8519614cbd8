package dev.tollgate.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * The Tollgate stack of one stage: API Gateway → Lambda → DynamoDB, secrets in Secrets Manager, alarms, a dashboard;
 * with context {@code compute=fargate-chat|fargate-all}, also an ECS Fargate service behind an ALB
 * ({@link ContainerService}).
 * Each part is its own construct; this class only wires them and declares the outputs. docs/DEPLOY.md
 * is the operator's guide.
 *
 * <p>jsii caveat: a method here named like a member of {@link Stack} (even a static one, e.g.
 * {@code stackName(..)}) is taken as an override of that JavaScript property and fails at construction
 * with "Trying to override property 'stackName' as a method". Keep helper names distinct.
 */
public final class TollgateStack extends Stack {

    static final String DESCRIPTION = "Tollgate pay-per-request OpenAI-compatible API";
    static final String STAGE_OUTPUT_ID = "Stage";
    static final String API_URL_OUTPUT_ID = "ApiUrl";
    static final String WEBHOOK_URL_OUTPUT_ID = "WebhookUrl";

    private final StackSettings settings;

    /** The stage's stack with every other setting from the context of {@code scope}. */
    public TollgateStack(Construct scope, String id, String stage) {
        this(scope, id, withStage(StackSettings.fromContext(scope.getNode()), stage), StackProps.builder().build());
    }

    /** Passes {@code props} through; the description defaults to {@link #DESCRIPTION} when it has none. */
    public TollgateStack(Construct scope, String id, StackSettings settings, StackProps props) {
        super(scope, id, props);
        if (getTemplateOptions().getDescription() == null) {
            getTemplateOptions().setDescription(DESCRIPTION);
        }
        this.settings = settings;
        Tags.of(this).add("app", "tollgate");
        Tags.of(this).add("stage", settings.stage());

        Tables tables = new Tables(this, "Tables", settings);
        Secrets secrets = new Secrets(this, "Secrets", settings);
        LambdaFunctions functions = new LambdaFunctions(this, "Functions", settings, tables, secrets);
        PublicApi api = new PublicApi(this, "Api", settings, functions);
        Alarms alarms = new Alarms(this, "Alarms", settings, functions, api, tables);
        Dashboard dashboard = new Dashboard(this, "Dashboard", settings, functions, api);
        // compute=fargate-chat|fargate-all adds the container option beside all of the above (docs/adr/0016).
        ComputeSettings compute = ComputeSettings.fromContext(getNode());
        if (compute.onFargate()) {
            new ContainerService(this, "Container", settings, compute, tables, secrets, alarms.topic());
        }

        output(STAGE_OUTPUT_ID, "Deployment stage of this stack", settings.stage());
        output(API_URL_OUTPUT_ID, "OpenAI base URL: give it to SDKs as base_url", api.baseUrl());
        output("ConsoleUrl", "The web console (management key; operators at /console/operator with the admin token)",
                api.consoleUrl());
        output(WEBHOOK_URL_OUTPUT_ID, "Stripe webhook endpoint URL (Dashboard > Developers > Webhooks)", api.webhookUrl());
        output("AdminTokenSecret", "Secret holding the /admin token (generated)", secrets.adminToken().getSecretName());
        output("StripeApiKeySecret", "Secret to fill with the Stripe secret API key", secrets.stripeApiKey().getSecretName());
        output("StripeWebhookSecretSecret", "Secret to fill with the webhook signing secret (whsec_...)",
                secrets.stripeWebhookSecret().getSecretName());
        output("ConsoleSessionSecret", "Secret signing console session cookies (generated)",
                secrets.consoleSessionSecret().getSecretName());
        output("UpstreamApiKeysSecret", "Secret to fill with upstream API keys as JSON", secrets.upstreamApiKeys().getSecretName());
        output("AlarmTopic", "SNS topic of the alarms", alarms.topic().getTopicArn());
        output("DashboardName", "CloudWatch dashboard of requests, tokens, revenue, upstreams, holds and caches",
                dashboard.dashboard().getDashboardName());
    }

    private void output(String id, String description, String value) {
        CfnOutput.Builder.create(this, id).description(description).value(value).build();
    }

    private static StackSettings withStage(StackSettings s, String stage) {
        return new StackSettings(stage, s.lambdaBundle(), s.arm64(), s.webAdapterLayerVersion(), s.upstreams(),
                s.catalogOverlay(), s.deletionProtection(), s.throttleRate(), s.throttleBurst(), s.logRetentionDays(),
                s.alarmEmail(), s.stripeSuccessUrl(), s.stripeCancelUrl(), s.apiGatewayLogsRole(), s.secretsRevision(),
                s.concurrency());
    }

    public String getStage() {
        return settings.stage();
    }

    public StackSettings settings() {
        return settings;
    }
}
