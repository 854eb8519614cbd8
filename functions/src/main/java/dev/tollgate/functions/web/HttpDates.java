package dev.tollgate.functions.web;

import dev.tollgate.telemetry.SecondText;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header of chat's answers, formatted once a second ({@link SecondText}). Micronaut adds one to
 * every response that has none, formatting the date anew each time (~3 % of a free request's CPU samples); an answer
 * that already has one keeps it. The text is Micronaut's: RFC 1123, in GMT.
 */
final class HttpDates {

    private static final SecondText DATES = new SecondText(second -> DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneOffset.UTC)));

    private HttpDates() {
    }

    /** The header's value for now. */
    static String now() {
        return at(System.currentTimeMillis());
    }

    static String at(long epochMillis) {
        return DATES.at(Math.floorDiv(epochMillis, 1000));
    }
}
