package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes the stack once (jsii start-up and synthesis dominate the run time) and checks the template. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TollgateStackTest {

    private static final String STAGE = "test";

    private Template template;

    @BeforeAll
    void synthesize() {
        App app = new App();
        TollgateStack stack = new TollgateStack(app, TollgateApp.stackId(STAGE), STAGE);
        template = Template.fromStack(stack);
    }

    @Test
    void exportsTheStageAsAnOutput() {
        template.hasOutput("Stage", Map.of("Value", STAGE));
        assertThat(template.findOutputs("*")).containsOnlyKeys("Stage");
    }

    @Test
    void carriesTheStackDescription() {
        assertThat(template.toJSON())
                .containsEntry("Description", "Tollgate pay-per-request OpenAI-compatible API");
    }

    @Test
    void readsTheStageFromContextAndDefaultsToDev() {
        assertThat(TollgateApp.stage(new App())).isEqualTo("dev");
        App prod = new App(AppProps.builder().context(Map.of("stage", "prod")).build());
        assertThat(TollgateApp.stage(prod)).isEqualTo("prod");
        assertThat(TollgateApp.stackId("prod")).isEqualTo("Tollgate-prod");
    }
}
