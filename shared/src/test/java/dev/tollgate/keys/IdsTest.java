package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
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

    @Test
    void requestIdsRecordTheSecondTheyStartedIn() {
        Instant start = Instant.parse("2026-12-06T21:04:05.999Z");
        String id = Ids.requestId(start);
        assertThat(id).matches("req_[0-9a-z]{20}").startsWith("req_0" + Long.toString(start.getEpochSecond(), 36));
        assertThat(Ids.requestSecond(id)).hasValue(start.getEpochSecond());
        assertThat(Ids.requestSecond(Ids.requestId(Instant.EPOCH))).hasValue(0);
        assertThat(Ids.requestSecond(Ids.requestId(Instant.parse("4453-01-01T00:00:00Z")))).hasValue(
                Instant.parse("4453-01-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void requestIdsOfOneSecondDiffer() {
        Instant start = Instant.parse("2026-12-06T21:04:05Z");
        Set<String> ids = new HashSet<>();
        IntStream.range(0, 100_000).forEach(i -> ids.add(Ids.requestId(start)));
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void onlyRequestIdShapesHaveASecond() {
        assertThat(Ids.requestSecond(Ids.newId("req"))).isPresent(); // an older id: its digits read as some second
        assertThat(Ids.requestSecond(null)).isEqualTo(OptionalLong.empty());
        assertThat(Ids.requestSecond("")).isEmpty();
        assertThat(Ids.requestSecond(Ids.newId("key"))).isEmpty();
        assertThat(Ids.requestSecond("req_" + "A".repeat(20))).isEmpty();
        assertThat(Ids.requestSecond("req_" + "-".repeat(20))).isEmpty();
        assertThat(Ids.requestSecond("req_" + "0".repeat(19))).isEmpty();
        assertThat(Ids.requestSecond("req_" + "0".repeat(21))).isEmpty();
        assertThat(Ids.requestSecond("req_" + "\u0661".repeat(20))).isEmpty(); // Arabic-Indic digits are digits to Java
    }
}
