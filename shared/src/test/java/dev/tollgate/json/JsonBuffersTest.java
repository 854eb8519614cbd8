package dev.tollgate.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class JsonBuffersTest {

    /**
     * The point of the pool: virtual threads one after another (requests one after another) reuse buffers that
     * earlier ones gave back. With Jackson's default, a recycler per thread, each of them got a new one. The pool
     * hands recyclers out oldest first, and other tests may have left some in it: at most those and one new.
     */
    @Test
    void virtualThreadsOneAfterAnotherReuseTheBuffersGivenBack() throws Exception {
        Set<BufferRecycler> used = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 3 * JsonBuffers.KEPT; i++) {
            used.add(onNewVirtualThread(JsonBuffersTest::recyclerOfAWrite));
        }

        assertThat(used).hasSizeLessThanOrEqualTo(JsonBuffers.KEPT + 1);
    }

    @Test
    void mappersAndFactoriesTakeTheirBuffersFromThePool() {
        assertThat(JsonBuffers.factory()._getRecyclerPool()).isSameAs(JsonBuffers.POOL);
        assertThat(JsonBuffers.mapper().getFactory()._getRecyclerPool()).isSameAs(JsonBuffers.POOL);
    }

    @Test
    void parsedAndWrittenValuesAreUnchanged() throws Exception {
        ObjectMapper json = JsonBuffers.mapper();
        String text = "{\"a\":[1,2.5,\"caf\\u00e9 \\uD83D\\uDE00\"],\"b\":{\"c\":null,\"d\":true},\"e\":\""
                + "x".repeat(20_000) + "\"}";

        assertThat(json.writeValueAsString(json.readTree(text)))
                .isEqualTo(new ObjectMapper().writeValueAsString(new ObjectMapper().readTree(text)));
        assertThat(json.writeValueAsBytes(json.readTree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isEqualTo(new ObjectMapper().writeValueAsBytes(new ObjectMapper().readTree(text)));
    }

    private static BufferRecycler recyclerOfAWrite() throws Exception {
        try (JsonGenerator out = JsonBuffers.factory().createGenerator(new ByteArrayOutputStream())) {
            out.writeStartObject();
            out.writeStringField("model", "m");
            out.writeEndObject();
            return ((GeneratorBase) out).ioContext().bufferRecycler();
        }
    }

    private static <T> T onNewVirtualThread(Callable<T> work) throws Exception {
        try (ExecutorService thread = Executors.newVirtualThreadPerTaskExecutor()) {
            return thread.submit(work).get();
        }
    }
}
