package dev.tollgate.functions.lambda;

import io.micronaut.runtime.Micronaut;

/**
 * Entry point of the {@code chat} function, started by {@code run.sh} under AWS Lambda Web Adapter.
 *
 * <p>Why not a handler: the Java managed runtime cannot stream a response (only Node.js has native
 * response streaming), and the API Gateway proxy handler buffers SSE into one body. Instead the function
 * runs the same Micronaut Netty server as the local server; the Web Adapter ({@code
 * AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap}) starts it, waits for the readiness path, and relays each
 * invocation to it as HTTP, passing the response through as a stream ({@code AWS_LWA_INVOKE_MODE=
 * response_stream}) to API Gateway's STREAM integration. Buffered chat uses the same route and path.
 */
public final class ChatServer {

    /**
     * What the Web Adapter polls until the server is up ({@code AWS_LWA_READINESS_CHECK_PATH}): without a
     * key it answers 401 at once, and the adapter counts any status below 500 as ready. The probe also
     * builds the key store and DynamoDB client during init rather than on the first chat request.
     */
    public static final String READINESS_PATH = "/v1/models";

    private ChatServer() {
    }

    public static void main(String[] args) {
        Micronaut micronaut = Micronaut.build(args).mainClass(ChatServer.class);
        LambdaContexts.configure(micronaut, FunctionRole.CHAT, System.getenv()).start();
    }
}
