package dev.tollgate.functions.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import dev.tollgate.telemetry.SecondText;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.event.KeyValuePair;

/**
 * The local and container server's text lines, {@code HH:mm:ss.SSS LEVEL logger - message key="value" ...}, then
 * the stack trace if any: the format {@code logback.xml}'s pattern gave, written directly. A pattern layout runs a
 * chain of converters for every event and formats the date each time; with one request line per request that was
 * about 4 % of a free request's CPU (docs/PERFORMANCE.md). The logger name is shortened to about 24 characters by
 * initials of its packages, as {@code %logger{24}} did, once per logger. Key-value pairs without a value are left
 * out (the JSON layout writes them as null).
 */
public final class TextLayout extends LayoutBase<ILoggingEvent> {

    static final int LOGGER_LENGTH = 24;

    private final Map<String, String> shortNames = new ConcurrentHashMap<>();
    /** A second's {@code HH:mm:ss.}: most lines fall in the same second as the previous. */
    private final SecondText seconds;

    public TextLayout() {
        this(ZoneId.systemDefault());
    }

    TextLayout(ZoneId zone) {
        this.seconds = new SecondText(epochSecond -> {
            LocalTime time = LocalTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone);
            return String.format(Locale.ROOT, "%02d:%02d:%02d.", time.getHour(), time.getMinute(), time.getSecond());
        });
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(256);
        long millis = event.getTimeStamp();
        line.append(seconds.at(Math.floorDiv(millis, 1000))).append(millis / 100 % 10).append(millis / 10 % 10)
                .append(millis % 10).append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int pad = level.length(); pad < 5; pad++) {
            line.append(' ');
        }
        line.append(' ').append(shortNames.computeIfAbsent(event.getLoggerName(), TextLayout::shorten))
                .append(" - ").append(event.getFormattedMessage());
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (pair.value != null) {
                    line.append(' ').append(pair.key).append("=\"").append(pair.value).append('"');
                }
            }
        }
        line.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown));  // ends with a line separator of its own
        }
        return line.toString();
    }

    /**
     * {@code dev.tollgate.functions.web.AuthFilter} → {@code d.t.f.web.AuthFilter}: package names from the
     * left become their initial until the whole fits {@link #LOGGER_LENGTH}; the class name is always whole.
     */
    static String shorten(String name) {
        if (name.length() <= LOGGER_LENGTH) {
            return name;
        }
        String[] parts = name.split("\\.");
        int length = name.length();
        for (int i = 0; i < parts.length - 1 && length > LOGGER_LENGTH; i++) {
            if (parts[i].length() > 1) {
                length -= parts[i].length() - 1;
                parts[i] = parts[i].substring(0, 1);
            }
        }
        return String.join(".", parts);
    }
}
