package dev.tollgate.functions.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.json.JsonBuffers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code message}, the Lambda request id
 * ({@code aws_request_id}) when there is one, every key-value pair of the event as a field of its own (numbers and
 * booleans as such), and {@code error} with the stack trace. CloudWatch Logs Insights and most log shippers read
 * such lines' fields without a parsing rule.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

    private static final JsonFactory JSON = JsonBuffers.factory();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("message", event.getFormattedMessage());
            String requestId = event.getMDCPropertyMap().get("AWSRequestId");
            if (requestId != null) {
                json.writeStringField("aws_request_id", requestId);
            }
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair pair : pairs) {
                    field(json, pair.key, pair.value);
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("error", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    private static void field(JsonGenerator json, String key, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNullField(key);
            case Long number -> json.writeNumberField(key, number);
            case Integer number -> json.writeNumberField(key, number);
            case Boolean flag -> json.writeBooleanField(key, flag);
            default -> json.writeStringField(key, value.toString());
        }
    }
}
