package dev.tollgate.telemetry;

import java.util.function.LongFunction;

/**
 * A text that changes once a second, made once in that second and kept: the time at the start of a local log line,
 * the {@code Date} header of chat's answers. Formatting a date for each line or answer was a few per cent of a free
 * request's CPU (docs/PERFORMANCE.md). Threads that meet a new second together may each make its text; they make
 * the same text, and the last one kept wins.
 */
public final class SecondText {

    private record Second(long epochSecond, String text) {
    }

    private final LongFunction<String> format;
    private volatile Second last = new Second(Long.MIN_VALUE, "");

    /** @param format the text for a second since the epoch */
    public SecondText(LongFunction<String> format) {
        this.format = format;
    }

    /** The text for {@code epochSecond}: made the first time that second is asked for, then kept until the next. */
    public String at(long epochSecond) {
        Second seen = last;
        if (seen.epochSecond() != epochSecond) {
            seen = new Second(epochSecond, format.apply(epochSecond));
            last = seen;
        }
        return seen.text();
    }
}
