package dev.tollgate.infra;

import software.amazon.awscdk.App;

/**
 * CDK entry point. Run by {@code cdk synth} through {@code infra/synth-app.sh}.
 *
 * <p>The stage comes from CDK context ({@code cdk synth -c stage=prod}) and defaults to {@code dev}.
 */
public final class TollgateApp {

    static final String DEFAULT_STAGE = "dev";

    private TollgateApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        String stage = stage(app);
        new TollgateStack(app, stackId(stage), stage);
        app.synth();
    }

    /** Construct id, and so CloudFormation stack name, for a stage, e.g. {@code Tollgate-dev}. */
    static String stackId(String stage) {
        return "Tollgate-" + stage;
    }

    static String stage(App app) {
        Object value = app.getNode().tryGetContext("stage");
        if (value == null || value.toString().isBlank()) {
            return DEFAULT_STAGE;
        }
        return value.toString();
    }
}
