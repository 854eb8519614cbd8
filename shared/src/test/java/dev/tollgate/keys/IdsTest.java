package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ids keep their documented shape, do not repeat, and use every base-36 digit about equally often. */
class IdsTest {

    @Test
    void idsHaveThePrefixAndTwentyBase36Characters() {
        String id = Ids.newId("req");
        assertThat(id).matches("req_[0-9a-z]{20}");
    }

    @Test
    void hundredThousandIdsAreDistinct() {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, 100_000).forEach(i -> ids.add(Ids.newId("x")));
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void everyDigitIsAboutEquallyLikely() {
        int[] counts = new int[36];
        int samples = 0;
        for (int i = 0; i < 20_000; i++) {
            for (char c : Ids.newId("x").substring(2).toCharArray()) {
                counts[Character.digit(c, 36)]++;
                samples++;
            }
        }
        double expected = samples / 36.0;   // 11,111 per digit; a modulo bias would put 4 digits ~12 % higher
        for (int count : counts) {
            assertThat(Math.abs(count - expected) / expected).isLessThan(0.05);
        }
    }
}
