package dev.tollgate.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The calendar windows' periods in UTC, at their boundaries. */
class WindowTest {

    @Test
    void aDayRunsFromUtcMidnightToUtcMidnight() {
        Instant late = Instant.parse("2026-12-06T23:59:59.999Z");
        assertThat(Window.DAILY.periodStart(late)).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
        assertThat(Window.DAILY.end(Window.DAILY.periodStart(late))).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(Window.DAILY.periodStart(Instant.parse("2026-12-07T00:00:00Z"))).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
    }

    @Test
    void aWeekStartsOnMondayAtMidnightUtc() {
        // 2026-12-06 is a Sunday: its week began on Monday 2026-11-30 and ends when Monday 2026-12-07 begins.
        Instant sunday = Instant.parse("2026-12-06T23:59:59Z");
        assertThat(Window.WEEKLY.periodStart(sunday)).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(Window.WEEKLY.end(Window.WEEKLY.periodStart(sunday))).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        Instant monday = Instant.parse("2026-12-07T00:00:00Z");
        assertThat(Window.WEEKLY.periodStart(monday)).isEqualTo(monday);
    }

    @Test
    void aMonthIsTheUtcCalendarMonthShortOrLong() {
        Instant endOfFebruary = Instant.parse("2028-02-29T23:00:00Z"); // a leap year
        assertThat(Window.MONTHLY.periodStart(endOfFebruary)).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
        assertThat(Window.MONTHLY.end(Window.MONTHLY.periodStart(endOfFebruary))).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
        Instant december = Instant.parse("2026-12-31T12:00:00Z");
        assertThat(Window.MONTHLY.end(Window.MONTHLY.periodStart(december))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void aSessionLastsFiveHoursFromItsStartAndHasNoCalendarStart() {
        Instant start = Instant.parse("2026-12-06T07:12:13.500Z");
        assertThat(Window.SESSION.end(start)).isEqualTo(Instant.parse("2026-12-06T12:12:13.500Z"));
        assertThatThrownBy(() -> Window.SESSION.periodStart(start)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wireAndHeaderNames() {
        assertThat(Window.fromWire("weekly")).contains(Window.WEEKLY);
        assertThat(Window.fromWire("Weekly")).isEmpty();
        assertThat(Window.SESSION.header()).isEqualTo("Session");
        assertThat(CreditHeaders.reset(Instant.parse("2026-12-06T12:12:13.500Z"))).as("rounded up, never early")
                .isEqualTo("2026-12-06T12:12:14Z");
        assertThat(CreditHeaders.reset(Instant.parse("2026-12-07T00:00:00Z"))).isEqualTo("2026-12-07T00:00:00Z");
    }
}
