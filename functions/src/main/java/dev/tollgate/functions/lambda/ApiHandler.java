package dev.tollgate.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tollgate.metrics.Metrics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;

/**
 * Handler of the {@code api} function: every REST route except chat completions and the Stripe webhook,
 * API Gateway REST proxy events (payload v1) through Micronaut's servlet-style proxy, which buffers the
 * response (fine here: none of these routes streams). SnapStart is on for this function;
 * {@link SnapStartPriming} loads the catalog, tokenizer and SDK clients before the snapshot.
 *
 * <p>Lambda creates the handler with the no-argument constructor, during the init phase; the context is
 * built from the process environment, the only place the Lambda entry points read it.
 */
public class ApiHandler extends ApiGatewayProxyRequestEventFunction {

    public ApiHandler() {
        super();
    }

    /** For tests: a context built with {@link LambdaContexts#forHandler} and extra properties. */
    public ApiHandler(ApplicationContext context) {
        super(context);
        // The no-argument path registers the function as a bean itself (FunctionInitializer); do the same.
        context.registerSingleton(ApiGatewayProxyRequestEventFunction.class, this);
    }

    /** Handles the event, then writes the metrics it recorded (EMF) before Lambda may freeze the process. */
    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent input, Context context) {
        try {
            return super.handleRequest(input, context);
        } finally {
            if (getApplicationContext().findBean(Metrics.class).orElse(null) instanceof EmfRecorder emf) {
                emf.flush();
            }
        }
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return LambdaContexts.forHandler(FunctionRole.API, System.getenv());
    }
}
