package dev.tollgate.functions.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class TextLayoutTest {

    private final LoggerContext context = new LoggerContext();
    private final TextLayout layout = new TextLayout(ZoneOffset.ofHours(2));

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown) {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger(logger), level, message, thrown,
                null);
        event.setTimeStamp(Instant.parse("2026-12-06T13:04:05.007Z").toEpochMilli());
        return event;
    }

    @Test
    void requestLineIsTimeLevelShortLoggerMessageAndPairsWithoutTheEmptyOnes() {
        LoggingEvent event = event("tollgate.request", Level.INFO, "request finished", null);
        event.setKeyValuePairs(new ArrayList<>());
        event.addKeyValuePair(new KeyValuePair("request_id", "req_1"));
        event.addKeyValuePair(new KeyValuePair("route", null));
        event.addKeyValuePair(new KeyValuePair("http_status", 200));

        assertThat(layout.doLayout(event)).isEqualTo(
                "15:04:05.007 INFO  tollgate.request - request finished request_id=\"req_1\" http_status=\"200\""
                        + System.lineSeparator());
    }

    @Test
    void millisecondsAreThreeDigitsInEverySecondAndTheLevelIsPaddedToFive() {
        LoggingEvent first = event("x", Level.WARN, "a", null);
        LoggingEvent later = event("x", Level.ERROR, "b", null);
        later.setTimeStamp(Instant.parse("2026-12-06T13:04:06.950Z").toEpochMilli());

        assertThat(layout.doLayout(first)).startsWith("15:04:05.007 WARN  x - a");
        assertThat(layout.doLayout(later)).startsWith("15:04:06.950 ERROR x - b");
    }

    @Test
    void longLoggerNamesKeepTheClassAndShortenPackagesFromTheLeft() {
        assertThat(TextLayout.shorten("dev.tollgate.functions.web.AuthFilter")).isEqualTo("d.t.f.web.AuthFilter");
        assertThat(TextLayout.shorten("io.micronaut.runtime.Micronaut")).isEqualTo("i.m.runtime.Micronaut");
        assertThat(TextLayout.shorten("tollgate.request")).isEqualTo("tollgate.request");
        assertThat(TextLayout.shorten("a.VeryLongClassNameThatAloneIsOverTheLimit"))
                .isEqualTo("a.VeryLongClassNameThatAloneIsOverTheLimit");
    }

    @Test
    void aThrowableFollowsTheLineWithItsStackTrace() {
        String text = layout.doLayout(event("x", Level.ERROR, "failed", new IllegalStateException("boom")));

        assertThat(text).startsWith("15:04:05.007 ERROR x - failed" + System.lineSeparator()
                + "java.lang.IllegalStateException: boom");
        assertThat(text).contains("at dev.tollgate.functions.telemetry.TextLayoutTest").endsWith(System.lineSeparator())
                .doesNotEndWith(System.lineSeparator() + System.lineSeparator());
    }
}
