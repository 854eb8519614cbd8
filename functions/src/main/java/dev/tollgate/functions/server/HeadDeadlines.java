package dev.tollgate.functions.server;

import dev.tollgate.functions.config.ServerConfig;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts a {@link HeadDeadlineHandler} around the HTTP codec of every HTTP/1 connection the Netty server accepts,
 * with {@code tollgate.server.head-timeout} and one server-wide bound of {@code tollgate.server.max-pending-heads}.
 * A head timeout of zero turns the deadline off.
 */
@Singleton
public class HeadDeadlines implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String HANDLER = "tollgate-head-deadline";
    static final String BYTES_HANDLER = "tollgate-head-deadline-bytes";

    private final long timeoutNanos;
    private final PendingHeads pendingHeads;
    private final LongAdder timedOut = new LongAdder();

    public HeadDeadlines(ServerConfig config) {
        this.timeoutNanos = config.getHeadTimeout().toNanos();
        this.pendingHeads = new PendingHeads(Math.max(1, config.getMaxPendingHeads()));
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        if (timeoutNanos > 0) {
            event.getBean().register(new PerConnection(null, this));
        }
        return event.getBean();
    }

    /** Connections closed since start because their head was late or they were the slowest over the bound. */
    public long closedForSlowHeads() {
        return timedOut.sum();
    }

    /** Connections whose request head is incomplete right now. */
    public int pendingHeads() {
        return pendingHeads.pending();
    }

    private record PerConnection(Channel channel, HeadDeadlines deadlines) implements NettyServerCustomizer {

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new PerConnection(channel, deadlines) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    && channel.pipeline().get(HANDLER) == null) {
                HeadDeadlineHandler handler = new HeadDeadlineHandler(deadlines.timeoutNanos, deadlines.pendingHeads,
                        deadlines.timedOut);
                channel.pipeline().addBefore(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, BYTES_HANDLER,
                        handler.bytesWatcher());
                channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER, handler);
            }
        }
    }
}
