package dev.tollgate.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one class logs while a test provokes it on purpose (a failing model, throttled settlements): kept for the test
 * to assert, and not printed, so a passing suite shows no ERROR stack trace a reader would take for a failure. The
 * logger prints again as before once this is closed.
 */
public final class ExpectedLog implements AutoCloseable {

    private final Logger logger;
    private final boolean additive;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private ExpectedLog(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        additive = logger.isAdditive();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
    }

    public static ExpectedLog of(Class<?> source) {
        return new ExpectedLog(source);
    }

    /** The messages logged at ERROR so far, formatted, each followed by its exception's message if it had one. */
    public List<String> errors() {
        return at(Level.ERROR);
    }

    /** The messages logged at WARN so far, as {@link #errors()} gives those at ERROR. */
    public List<String> warnings() {
        return at(Level.WARN);
    }

    private List<String> at(Level level) {
        synchronized (appender) { // AppenderBase.doAppend holds the same lock while it adds
            return appender.list.stream().filter(e -> e.getLevel() == level)
                    .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ": " + e.getThrowableProxy().getMessage()))
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.setAdditive(additive);
        logger.detachAppender(appender);
        appender.stop();
    }
}
