package dev.tollgate.functions.lambda;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.tollgate.functions.telemetry.BatchedStdout;
import dev.tollgate.functions.telemetry.JsonLayout;
import dev.tollgate.functions.telemetry.TextLayout;
import java.util.Map;

/**
 * Logging configured in code, everywhere: reading a {@code logback.xml} (XML parser, Joran) costs about 0.3 s of
 * every start, a fifth of the api function's cold start, and a pattern layout's converter chain costs every line.
 * This configurator installs the quieter levels below and one stdout appender (off Lambda writing in batches,
 * {@link BatchedStdout}): JSON ({@link JsonLayout}, one object per line) when the format is JSON; on Lambda in
 * text, {@code LEVEL [request id] logger - message}, which CloudWatch Logs stamps with the time; elsewhere in text,
 * {@link TextLayout} ({@code HH:mm:ss.SSS LEVEL logger - message key="value"...}). The format is
 * {@code TOLLGATE_LOG_FORMAT} ({@code json} or {@code text}; read here, not from Micronaut's configuration, because
 * logging starts first): JSON by default on Lambda, text elsewhere.
 *
 * <p>A configuration of one's own still wins: with {@code -Dlogback.configurationFile=...} this configurator steps
 * aside in every mode and logback reads that file; for local text output, a {@code logback-test.xml} on the class
 * path (the tests') does the same.
 *
 * <p>Registered through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public class LambdaLogging extends ContextAwareBase implements Configurator {

    /** Quieter loggers (DynamoDB Local and its Jetty log every request at INFO). */
    static final Map<String, Level> LEVELS = Map.of(
            "com.amazonaws.services.dynamodbv2", Level.WARN,
            "org.eclipse.jetty", Level.WARN,
            "io.micronaut.context.env", Level.WARN,
            // DJL (the embedding tokenizer) warns that it found no GPU on every start: expected, not news.
            "ai.djl", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        boolean lambda = System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null;
        boolean json = json(System.getenv("TOLLGATE_LOG_FORMAT"), lambda);
        if (System.getProperty("logback.configurationFile") != null || !lambda && !json && testConfiguration()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LayoutBase<ILoggingEvent> layout = json ? new JsonLayout() : lambda ? new LambdaLayout() : new TextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> stdout = lambda ? new ConsoleAppender<>() : batchedStdout();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Off Lambda, lines go out in batches ({@link BatchedStdout}): with a request line per request written on its own,
     * the line cost ~12 % of a free request's CPU (docs/PERFORMANCE.md). On Lambda each line is written at once: the
     * runtime collects an invocation's output as it returns.
     */
    private static OutputStreamAppender<ILoggingEvent> batchedStdout() {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setImmediateFlush(false);
        appender.setOutputStream(BatchedStdout.stdout());
        return appender;
    }

    /** Whether a test's logback configuration is on the class path. */
    static boolean testConfiguration() {
        return LambdaLogging.class.getClassLoader().getResource("logback-test.xml") != null;
    }

    /** Whether {@code format} (the variable's value, or {@code null}) selects JSON: by default on Lambda only. */
    static boolean json(String format, boolean lambda) {
        if (format == null || format.isBlank()) {
            return lambda;
        }
        return format.strip().equalsIgnoreCase("json");
    }

    /** {@code LEVEL [request id] logger - message}, then the stack trace if any; no pattern to parse. */
    static final class LambdaLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128).append(event.getLevel()).append(' ');
            String requestId = event.getMDCPropertyMap().get("AWSRequestId");
            if (requestId != null) {
                line.append('[').append(requestId).append("] ");
            }
            line.append(event.getLoggerName()).append(" - ").append(event.getFormattedMessage()).append('\n');
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown));  // ends with a line separator of its own
            }
            return line.toString();
        }
    }
}
