package dev.tollgate.functions.server;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts a {@link SmallBodyAggregator} right after the HTTP codec of every connection the Netty server accepts.
 * Bodies of up to {@value #MAX_JOINED_BYTES} bytes (any chat request without inline images) are joined.
 */
@Singleton
public class SmallBodyAggregation implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final int MAX_JOINED_BYTES = 64 * 1024;
    static final String HANDLER = "tollgate-small-body";

    private final LongAdder joined = new LongAdder();

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new PerConnection(null, joined));
        return event.getBean();
    }

    /** Requests whose body was joined to its head since start (every small-body request, in practice). */
    public long joinedRequests() {
        return joined.sum();
    }

    private record PerConnection(Channel channel, LongAdder joined) implements NettyServerCustomizer {

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new PerConnection(channel, joined) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    && channel.pipeline().get(HANDLER) == null) {
                channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER,
                        new SmallBodyAggregator(MAX_JOINED_BYTES, joined));
            }
        }
    }
}
