package dev.tollgate.functions.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

    /** What Micronaut writes: the instant in GMT, RFC 1123. */
    static String micronauts(long millis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.of("GMT"))
                .format(DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    @Test
    void writesWhatMicronautWrites() {
        for (long millis : new long[] {0, 1_796_601_599_999L, 1_796_601_600_000L, 1_796_601_600_500L, -1}) {
            assertThat(HttpDates.at(millis)).as("%d", millis).isEqualTo(micronauts(millis));
        }
        assertThat(HttpDates.at(1_796_601_600_000L)).isEqualTo("Mon, 7 Dec 2026 00:00:00 GMT");
    }

    @Test
    void changesWithTheSecondNotWithinIt() {
        long second = 1_796_605_000_000L;
        String first = HttpDates.at(second);
        assertThat(HttpDates.at(second + 999)).isSameAs(first);
        assertThat(HttpDates.at(second + 1_000)).isNotEqualTo(first).isEqualTo(micronauts(second + 1_000));
        assertThat(HttpDates.at(second)).isEqualTo(first);
    }
}
