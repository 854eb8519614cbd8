package dev.tollgate.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The single Tollgate stack for one stage.
 *
 * <p>Placeholder for now: it only exports the stage. Resources (table, functions, API) are added later
 * as their own {@link Construct} classes in this package and instantiated from the constructor, so
 * this class stays a short list of wiring.
 *
 * <p>jsii caveat: a method here named like a member of {@link Stack} (even a static one, e.g.
 * {@code stackName(..)}) is taken as an override of that JavaScript property and fails at construction
 * with "Trying to override property 'stackName' as a method". Keep helper names distinct.
 */
public final class TollgateStack extends Stack {

    static final String DESCRIPTION = "Tollgate pay-per-request OpenAI-compatible API";
    static final String STAGE_OUTPUT_ID = "Stage";

    private final String stage;

    public TollgateStack(Construct scope, String id, String stage) {
        this(scope, id, stage, StackProps.builder().build());
    }

    /** Passes {@code props} through; the description defaults to {@link #DESCRIPTION} when it has none. */
    public TollgateStack(Construct scope, String id, String stage, StackProps props) {
        super(scope, id, props);
        if (getTemplateOptions().getDescription() == null) {
            getTemplateOptions().setDescription(DESCRIPTION);
        }
        this.stage = stage;

        CfnOutput.Builder.create(this, STAGE_OUTPUT_ID)
                .description("Deployment stage of this stack")
                .value(stage)
                .build();
    }

    public String getStage() {
        return stage;
    }
}
