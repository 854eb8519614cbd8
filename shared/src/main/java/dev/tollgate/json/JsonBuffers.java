package dev.tollgate.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The working buffers of Jackson's parsers and generators, shared by every thread. Jackson 2 keeps them per thread by
 * default, which a virtual thread, new for every request and every stream, never reuses: each request allocated its
 * own (8 KB for a parser's text, 8 KB for a generator's output, a few smaller ones) and a soft reference to them, all
 * garbage a moment later. Every mapper on the request path takes its buffers from here instead ({@link #mapper()},
 * {@link #factory()}, or {@link #POOL} set on a mapper made elsewhere, as the server's is).
 *
 * <p>Bounded: a parser or generator holds a recycler only while it runs, so a few are enough for two cores; when
 * more run at once the extra ones get buffers of their own, as before, and are not kept.
 */
public final class JsonBuffers {

    /**
     * Recyclers kept for reuse: more than run at once on a small instance, and few enough that what they keep stays
     * small (a recycler keeps the largest text buffer it was given back, up to 64 K characters).
     */
    static final int KEPT = 16;
    public static final RecyclerPool<BufferRecycler> POOL = JsonRecyclerPools.newBoundedPool(KEPT);

    private JsonBuffers() {
    }

    /** A JSON factory whose parsers and generators take their buffers from {@link #POOL}. */
    public static JsonFactory factory() {
        return JsonFactory.builder().recyclerPool(POOL).build();
    }

    /** A default {@code ObjectMapper} on {@link #factory()}. */
    public static ObjectMapper mapper() {
        return new ObjectMapper(factory());
    }
}
