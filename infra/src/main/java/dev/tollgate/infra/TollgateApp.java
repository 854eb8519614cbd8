package dev.tollgate.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * CDK entry point. Run by {@code cdk synth} through {@code infra/synth-app.sh}.
 *
 * <p>Every setting comes from CDK context ({@code cdk synth -c stage=prod -c upstreams='{...}'}, see
 * {@link StackSettings} and docs/DEPLOY.md); the stage defaults to {@code dev}. The account and region
 * are the CLI's ({@code CDK_DEFAULT_ACCOUNT}, {@code CDK_DEFAULT_REGION}) when it knows them.
 */
public final class TollgateApp {

    static final String DEFAULT_STAGE = StackSettings.DEFAULT_STAGE;

    private TollgateApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        StackSettings settings = StackSettings.fromContext(app.getNode());
        new TollgateStack(app, stackId(settings.stage()), settings, StackProps.builder().env(environment()).build());
        app.synth();
    }

    /** Construct id, and so CloudFormation stack name, for a stage, e.g. {@code Tollgate-dev}. */
    static String stackId(String stage) {
        return "Tollgate-" + stage;
    }

    static String stage(App app) {
        return StackSettings.fromContext(app.getNode()).stage();
    }

    /** Environment-agnostic unless the CLI resolved an account and region (synth works without credentials). */
    private static Environment environment() {
        String account = System.getenv("CDK_DEFAULT_ACCOUNT");
        String region = System.getenv("CDK_DEFAULT_REGION");
        if (account == null || region == null) {
            return null;
        }
        return Environment.builder().account(account).region(region).build();
    }
}
