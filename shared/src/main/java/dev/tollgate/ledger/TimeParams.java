package dev.tollgate.ledger;

import dev.tollgate.error.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The time parameters of the request log and the statement ({@code start}, {@code end}): an ISO-8601 instant
 * ({@code 2026-01-31T12:00:00Z}, or with an offset; without one it is UTC), a day ({@code 2026-01-31}: 00:00 UTC,
 * or for an end the end of that day, so that {@code start=2026-01-01&end=2026-01-31} is all of January), or unix
 * seconds. Years 1970 to 9999 only: anything else is a 400 naming the parameter, never arithmetic overflow.
 */
public final class TimeParams {

    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private TimeParams() {
    }

    /** {@code null} for a missing or blank value. */
    public static Instant parse(String param, String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        Instant instant = text.length() <= 12 && text.chars().allMatch(Character::isDigit) ? seconds(param, value, text)
                : text.length() == 10 ? day(param, value, text, end) : instant(param, value, text);
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw invalid(param, value);
        }
        return instant;
    }

    private static Instant seconds(String param, String value, String text) {
        long seconds = Long.parseLong(text);
        if (seconds > LATEST.getEpochSecond()) {
            throw invalid(param, value);
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Instant day(String param, String value, String text, boolean end) {
        try {
            LocalDate day = LocalDate.parse(text);
            return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(param, value);
        }
    }

    private static Instant instant(String param, String value, String text) {
        if (text.length() > 40) {
            throw invalid(param, value);
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw invalid(param, value);
            }
        }
    }

    private static ApiException invalid(String param, String value) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return ApiException.invalid(param, "'" + param + "' must be a time between 1970 and 9999: ISO-8601 like "
                + "2026-01-31T12:00:00Z, a day like 2026-01-31 (UTC), or unix seconds like 1769860800; got '" + shown + "'.");
    }
}
