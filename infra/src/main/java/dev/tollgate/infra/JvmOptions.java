package dev.tollgate.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Lambda functions' JVM settings, derived from the repository's {@code jvm.options} (the build copies it onto
 * this module's classpath), so the local server, the container and Lambda share one list.
 *
 * <p>What Lambda takes from it: the {@code -XX:} lines, except the heap's size (Lambda's Java runtime sizes the
 * heap from the function's memory; the chat function's run.sh sets a share of it). Launcher options such as
 * {@code --enable-native-access} stay out: {@code JAVA_TOOL_OPTIONS} is read by the JVM, not the launcher.
 * What Lambda adds: C1 only ({@code TieredStopAtLevel=1}). A function instance lives minutes to hours and, below
 * 1769 MB of memory, has one vCPU: C2's compiler threads would compete with the requests for most of that life,
 * and AWS recommends the same for short-lived functions. The long-running server and container keep C2.
 */
public final class JvmOptions {

    /** What Lambda adds to the shared lines. */
    static final List<String> LAMBDA_ONLY = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    private JvmOptions() {
    }

    /** The options of {@code jvm.options}, one per line, without comments and blank lines. */
    public static List<String> parse(String file) {
        List<String> options = new ArrayList<>();
        for (String line : file.split("\n")) {
            int comment = line.indexOf('#');
            String option = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }

    /** The Lambda functions' {@code JAVA_TOOL_OPTIONS} for a {@code jvm.options} text. */
    public static String forLambda(String file) {
        return String.join(" ", Stream.concat(parse(file).stream().filter(JvmOptions::appliesOnLambda), LAMBDA_ONLY.stream()).toList());
    }

    /** {@link #forLambda(String)} of the {@code jvm.options} this build packed. */
    public static String forLambda() {
        try (InputStream in = JvmOptions.class.getResourceAsStream("jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("jvm.options is not on the classpath: build the infra module with Maven");
            }
            return forLambda(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean appliesOnLambda(String option) {
        return option.startsWith("-XX:") && !option.startsWith("-XX:TieredStopAtLevel") && !option.startsWith("-XX:MaxRAMPercentage")
                && !option.startsWith("-XX:InitialRAMPercentage") && !option.startsWith("-XX:MaxHeapSize")
                && !option.startsWith("-XX:InitialHeapSize");
    }
}
