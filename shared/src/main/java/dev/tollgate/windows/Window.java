package dev.tollgate.windows;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * A spend window. The calendar windows are UTC periods; a {@link #SESSION} starts at the first paid request
 * after the previous one ended and lasts {@link #SESSION_LENGTH}, so its start is state (kept by the store),
 * not arithmetic.
 */
public enum Window {
    SESSION("session", "Session"),
    DAILY("daily", "Daily"),
    WEEKLY("weekly", "Weekly"),
    MONTHLY("monthly", "Monthly");

    public static final Duration SESSION_LENGTH = Duration.ofHours(5);

    private final String wire;
    private final String header;

    Window(String wire, String header) {
        this.wire = wire;
        this.header = header;
    }

    /** The name in the API and configuration: {@code session}, {@code daily}, {@code weekly}, {@code monthly}. */
    public String wire() {
        return wire;
    }

    /** The name in the {@code X-RateLimit-<Window>-*} headers. */
    public String header() {
        return header;
    }

    public static Optional<Window> fromWire(String name) {
        for (Window window : values()) {
            if (window.wire.equals(name)) {
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }

    /** The start of the calendar period {@code at} falls in; a session's start is not computable. */
    public Instant periodStart(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case SESSION -> throw new IllegalStateException("a session starts at its first request, not on a calendar");
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** When the period that started at {@code start} ends (and the next one begins). */
    public Instant end(Instant start) {
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
        return switch (this) {
            case SESSION -> start.plus(SESSION_LENGTH);
            case DAILY -> day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case WEEKLY -> day.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTHLY -> day.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        };
    }

    /** The wire names, for messages. */
    public static String names() {
        return "session, daily, weekly, monthly";
    }
}
