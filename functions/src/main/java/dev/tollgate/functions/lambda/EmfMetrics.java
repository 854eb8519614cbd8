package dev.tollgate.functions.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CloudWatch metrics as Embedded Metric Format log lines: Lambda ships stdout to CloudWatch Logs, which
 * turns each such JSON line into metric data points. No SDK call, no extra permission, no latency.
 * Namespace {@value #NAMESPACE}, one dimension {@code FunctionName} (as AWS's own Lambda metrics), so
 * stages deployed to the same account keep apart.
 */
public final class EmfMetrics {

    public static final String NAMESPACE = "Tollgate";

    public static final String DIMENSION = "FunctionName";

    private final Consumer<String> sink;
    private final String functionName;
    private final ObjectMapper json = JsonBuffers.mapper();

    public EmfMetrics(Consumer<String> sink, String functionName) {
        this.sink = sink;
        this.functionName = functionName == null || functionName.isBlank() ? "local" : functionName;
    }

    /**
     * Writes to stdout directly, not through the logger: EMF needs the bare JSON object on its own line.
     * The dimension is Lambda's {@code AWS_LAMBDA_FUNCTION_NAME}.
     */
    public static EmfMetrics toStdout(String functionName) {
        return new EmfMetrics(System.out::println, functionName);
    }

    /** One record with every metric in {@code counts} (values in {@code Count}, or milliseconds for *Millis). */
    public void emit(long timestampMillis, Map<String, ? extends Number> counts) {
        ObjectNode root = json.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add(DIMENSION);
        root.put(DIMENSION, functionName);
        ArrayNode metrics = directive.putArray("Metrics");
        counts.keySet().stream().sorted().forEach(name -> {
            ObjectNode metric = metrics.addObject();
            metric.put("Name", name);
            metric.put("Unit", name.endsWith("Millis") ? "Milliseconds" : "Count");
            root.put(name, counts.get(name).longValue());
        });
        sink.accept(root.toString());
    }
}
