package dev.tollgate.infra;

import dev.tollgate.error.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.IResource;
import software.amazon.awscdk.services.apigateway.Integration;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.ResponseTransferMode;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The public REST API (regional endpoint, stage named after the deployment stage): the routes of
 * {@link ApiRoutes}, each a Lambda proxy integration.
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions} uses response transfer mode STREAM, so API Gateway relays the
 *       chat function's response stream (InvokeWithResponseStream) as it is written, for up to 15 minutes
 *       (a buffered integration stops at 29 s and would hold SSE back until the end). Regional endpoints
 *       close a stream idle for 5 minutes; the server sends an SSE comment every 15 s (tollgate.stream.keep-alive).</li>
 *   <li>Every other route is buffered.</li>
 *   <li>No route has a gateway authorizer: the application authenticates API keys itself (it needs the
 *       key to bill), and the Stripe webhook is authenticated by its signature.</li>
 * </ul>
 *
 * The stage throttles (rate and burst from context) and writes JSON access logs. Errors API Gateway
 * produces itself (unknown path, throttling, oversized body, integration timeout) use the OpenAI error
 * envelope too, as DESIGN.md requires of every error.
 */
public final class PublicApi extends Construct {

    private final RestApi api;

    public PublicApi(Construct scope, String id, StackSettings settings, LambdaFunctions functions) {
        super(scope, id);
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .logGroupName("/tollgate/" + settings.stage() + "/api-access")
                .retention(settings.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        api = RestApi.Builder.create(this, "RestApi")
                .restApiName(settings.name("api"))
                .description("Tollgate " + settings.stage() + ": OpenAI-compatible API")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                .cloudWatchRole(settings.apiGatewayLogsRole())
                .cloudWatchRoleRemovalPolicy(RemovalPolicy.RETAIN)
                .deployOptions(StageOptions.builder()
                        .stageName(settings.stage())
                        .throttlingRateLimit(settings.throttleRate())
                        .throttlingBurstLimit(settings.throttleBurst())
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                        .build())
                .build();

        Map<ApiRoutes.Target, Integration> integrations = Map.of(
                ApiRoutes.Target.API, buffered(functions.apiLive()),
                ApiRoutes.Target.CHAT, LambdaIntegration.Builder.create(functions.chat())
                        .responseTransferMode(ResponseTransferMode.STREAM)
                        .timeout(Duration.minutes(15))
                        .scopePermissionToMethod(false)
                        .build(),
                ApiRoutes.Target.STRIPE_WEBHOOK, buffered(functions.stripeWebhookLive()));
        Map<String, IResource> resources = new HashMap<>();
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            resource(resources, route.path()).addMethod(route.method(), integrations.get(route.target()),
                    MethodOptions.builder().authorizationType(AuthorizationType.NONE).build());
        }
        gatewayErrors();
    }

    /**
     * One resource-based permission per function for the whole API, not one per method: a function's
     * policy has a 20 KB limit that a permission per method and stage would approach.
     */
    private static LambdaIntegration buffered(IFunction target) {
        return LambdaIntegration.Builder.create(target).scopePermissionToMethod(false).build();
    }

    private IResource resource(Map<String, IResource> resources, String path) {
        if (path.equals("/")) {
            return api.getRoot(); // GET / (it leads to the console)
        }
        IResource known = resources.get(path);
        if (known != null) {
            return known;
        }
        int slash = path.lastIndexOf('/');
        IResource parent = slash == 0 ? api.getRoot() : resource(resources, path.substring(0, slash));
        IResource created = parent.addResource(path.substring(slash + 1));
        resources.put(path, created);
        return created;
    }

    private void gatewayErrors() {
        error("UnknownRoute", ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", ErrorCode.NOT_FOUND,
                "\"Unknown path or method. The API lives under /v1, e.g. POST /v1/chat/completions.\"");
        error("Throttled", ResponseType.THROTTLED, "429", ErrorCode.RATE_LIMIT_EXCEEDED,
                "\"This Tollgate deployment is receiving too many requests. Retry with exponential backoff.\"");
        error("TooLarge", ResponseType.REQUEST_TOO_LARGE, "400", ErrorCode.INVALID_REQUEST,
                "\"The request body is larger than API Gateway's 10 MB limit. Send fewer or smaller messages.\"");
        error("IntegrationTimeout", ResponseType.INTEGRATION_TIMEOUT, "504", ErrorCode.UPSTREAM_TIMEOUT,
                "\"Tollgate did not answer in time. Retry; for long generations use stream: true.\"");
        error("Default4xx", ResponseType.DEFAULT_4_XX, null, ErrorCode.INVALID_REQUEST, "$context.error.messageString");
        error("Default5xx", ResponseType.DEFAULT_5_XX, null, ErrorCode.INTERNAL, "$context.error.messageString");
    }

    private void error(String id, ResponseType type, String status, ErrorCode code, String messageExpression) {
        GatewayResponseOptions.Builder options = GatewayResponseOptions.builder()
                .type(type)
                .responseHeaders(Map.of("Content-Type", "'application/json'"))
                .templates(Map.of("application/json", "{\"error\":{\"message\":" + messageExpression + ",\"type\":\""
                        + code.type() + "\",\"code\":\"" + code.code() + "\",\"param\":null}}"));
        if (status != null) {
            options.statusCode(status);
        }
        api.addGatewayResponse(id, options.build());
    }

    public RestApi restApi() {
        return api;
    }

    /** The OpenAI-style base URL: {@code https://<id>.execute-api.<region>.amazonaws.com/<stage>/v1}. */
    public String baseUrl() {
        return api.getUrl() + "v1";
    }

    /** The web console: {@code https://<id>.execute-api.<region>.amazonaws.com/<stage>/console}. */
    public String consoleUrl() {
        return api.getUrl() + "console";
    }

    /** Where Stripe sends events. */
    public String webhookUrl() {
        return api.getUrl() + ApiRoutes.STRIPE_WEBHOOK_PATH;
    }
}
