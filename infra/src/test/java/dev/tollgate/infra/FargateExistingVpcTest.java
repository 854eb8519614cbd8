package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code -c vpcId=...}: the service joins an existing VPC, found by a synth-time lookup (which needs the account and
 * region), runs its tasks in that VPC's private subnets and creates no network of its own. Offline, the CDK answers
 * the lookup with its placeholder VPC (private subnets p-12345 and p-67890, public s-12345 and s-67890).
 */
@EnabledIf(value = "dev.tollgate.infra.Synth#nodeAvailable", disabledReason = Synth.NO_NODE)
class FargateExistingVpcTest {

    @Test
    void anExistingVpcIsLookedUpAndItsPrivateSubnetsCarryTheTasks() {
        Synth.assumeNode();
        App app = new App(AppProps.builder().context(Synth.context(Map.of("compute", "fargate-chat", "vpcId", "vpc-0abc"))).build());
        StackSettings settings = StackSettings.fromContext(app.getNode());
        TollgateStack stack = new TollgateStack(app, TollgateApp.stackId(settings.stage()), settings, StackProps.builder()
                .env(Environment.builder().account("123456789012").region("eu-west-1").build()).build());
        Template template = Template.fromStack(stack);
        TemplateJson json = new TemplateJson(template);

        template.resourceCountIs("AWS::EC2::VPC", 0);
        template.resourceCountIs("AWS::EC2::NatGateway", 0);
        String service = TemplateJson.json(json.ofType("AWS::ECS::Service").values().iterator().next().get("NetworkConfiguration"));
        assertThat(service).contains("p-12345").contains("p-67890").doesNotContain("s-12345").contains("\"AssignPublicIp\":\"DISABLED\"");
        String alb = TemplateJson.json(json.ofType("AWS::ElasticLoadBalancingV2::LoadBalancer").values().iterator().next().get("Subnets"));
        assertThat(alb).contains("s-12345").doesNotContain("p-12345");
        assertThat(app.synth().getManifest().getMissing()).as("the lookup CDK would make with credentials")
                .anySatisfy(missing -> assertThat(missing.getKey()).contains("vpc-provider").contains("vpc-0abc"));
    }
}
