package dev.tollgate.functions.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.json.JsonBuffers;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * The server's {@code ObjectMapper} (request bodies, the chat service's parsing) takes its parsers' and generators'
 * buffers from {@link JsonBuffers#POOL}, as Tollgate's own mappers do, instead of per thread: a virtual thread per
 * request never reused them.
 */
@Singleton
public class SharedJsonBuffers implements BeanCreatedEventListener<ObjectMapper> {

    @Override
    public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
        event.getBean().getFactory().setRecyclerPool(JsonBuffers.POOL);
        return event.getBean();
    }
}
