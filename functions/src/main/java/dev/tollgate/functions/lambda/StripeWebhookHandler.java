package dev.tollgate.functions.lambda;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

/**
 * Handler of the {@code stripe-webhook} function: POST /webhooks/stripe only. The same application as
 * {@link ApiHandler}, in its own function so that its role can be narrow: it reads only the webhook
 * signing secret and the tables a top-up touches, and no other function can read that secret.
 * API Gateway leaves the route unauthenticated; the controller verifies {@code Stripe-Signature}.
 */
public class StripeWebhookHandler extends ApiGatewayProxyRequestEventFunction {

    public StripeWebhookHandler() {
        super();
    }

    /** For tests: a context built with {@link LambdaContexts#forHandler} and extra properties. */
    public StripeWebhookHandler(ApplicationContext context) {
        super(context);
        // The no-argument path registers the function as a bean itself (FunctionInitializer); do the same.
        context.registerSingleton(ApiGatewayProxyRequestEventFunction.class, this);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContexts.forHandler(FunctionRole.STRIPE_WEBHOOK, System.getenv());
    }
}
