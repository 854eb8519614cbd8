package dev.tollgate.functions.lambda;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.crac.OrderedResource;
import io.micronaut.crac.resources.NettyEmbeddedServerResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;

/**
 * Takes the place of micronaut-crac's Netty resource in the handler functions ({@code function}
 * environment), doing nothing. That resource exists for every Netty server bean, so it would build a Netty
 * server in a function that serves through the API Gateway proxy, and start it listening after each
 * SnapStart restore. The chat function runs Netty on purpose, is no {@code function} environment, and
 * keeps the resource. (A replacement must itself be a candidate of the lookup, hence an OrderedResource.)
 */
@Singleton
@Requires(env = Environment.FUNCTION)
@Replaces(NettyEmbeddedServerResource.class)
public final class NoNettyServerInFunctions implements OrderedResource {

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // no server to stop
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // no server to start
    }
}
