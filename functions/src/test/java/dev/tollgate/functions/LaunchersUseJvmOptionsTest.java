package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every launcher starts the JVM with the repository's jvm.options, and none keeps JVM flags of its own that the file
 * should hold: {@code ./mvnw -Prun} (through scripts/run-local.sh, whose ahead-of-time cache RunLocalScriptTest
 * checks), the chat function's run.sh (and the zip that carries the file beside it), the
 * container image and its entry point, and the benchmark. The Lambda functions' JAVA_TOOL_OPTIONS are checked in the
 * infra module (SamTemplateConsistencyTest), the entry point's behaviour by ContainerEntryPointIT.
 */
class LaunchersUseJvmOptionsTest {

    static final Path REPO = Path.of("..");

    @Test
    void theFileIsAnArgumentFileThisJdkAccepts() throws Exception {
        List<String> options = options();
        assertThat(options).allMatch(o -> o.startsWith("-")).contains("-XX:+UseSerialGC").anyMatch(o -> o.startsWith("-Xmx"))
                .as("full tiered compilation for the long-running server").noneMatch(o -> o.contains("TieredStopAtLevel"));
        // The file lets a JVM skip options it does not know (JDK 21 and UseCompactObjectHeaders); switched off
        // again after it, this JDK must know every line, so a misspelt option still fails here.
        assertThat(options).contains("-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseCompactObjectHeaders");
        if (Runtime.version().feature() < 25) {
            java("@" + REPO.resolve("jvm.options").toAbsolutePath(), "-version"); // JDK 21 starts, skipping what it does not know
            return;
        }
        String out = java("@" + REPO.resolve("jvm.options").toAbsolutePath(), "-XX:-IgnoreUnrecognizedVMOptions",
                "-XX:+PrintFlagsFinal", "-version");
        assertThat(out).containsPattern("UseCompactObjectHeaders\\s+= true").containsPattern("UseSerialGC\\s+= true");
        // and the check can fail: a misspelt option is refused the same way
        Path misspelt = Files.createTempFile("jvm", ".options");
        Files.writeString(misspelt, Files.readString(REPO.resolve("jvm.options")) + "-XX:+UseCompactObjectHeader\n");
        assertThatThrownBy(() -> java("@" + misspelt, "-XX:-IgnoreUnrecognizedVMOptions", "-version"))
                .hasMessageContaining("Unrecognized VM option 'UseCompactObjectHeader'");
        Files.delete(misspelt);
    }

    /** Runs this JDK's java with {@code arguments}; its output, or an AssertionError with it when it fails. */
    private static String java(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(arguments));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theRunProfileStartsTheLauncherScriptWhichPassesTheFileAndNoFlagsOfItsOwn() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(REPO.resolve("functions/pom.xml").toFile());
        List<String> arguments = new ArrayList<>();
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if ("run".equals(profile.getElementsByTagName("id").item(0).getTextContent())) {
                NodeList args = profile.getElementsByTagName("argument");
                for (int j = 0; j < args.getLength(); j++) {
                    arguments.add(args.item(j).getTextContent().strip());
                }
            }
        }
        assertThat(arguments).containsExactly("${maven.multiModuleProjectDirectory}/scripts/run-local.sh", "${java.home}");
        String script = read("scripts/run-local.sh");
        assertThat(script).contains("common=(@jvm.options -Dtollgate.local.exit-with-parent=true -Dtollgate.local.parent-pid=$PPID)")
                .contains("@jvm.options -XX:AOTMode=create");
        assertThat(script.lines().filter(l -> l.contains("exec \"$java\"")))
                .hasSize(5).allMatch(l -> l.contains("\"${common[@]}\""));
        assertThat(script).doesNotContain("-Xm").doesNotContain("UseSerialGC").doesNotContain("--enable-native-access");
    }

    @Test
    void theChatFunctionsRunShReadsTheFileThatTheZipCarries() throws IOException {
        String run = read("functions/src/main/lambda/run.sh");
        assertThat(run).contains("\"$root/jvm.options\"").contains("exec java @\"$options\"").doesNotContain("UseSerialGC");
        assertThat(read("functions/src/main/lambda/assembly.xml")).contains("/jvm.options</source>");
    }

    @Test
    void theContainerImageAndItsEntryPointUseTheFile() throws IOException {
        assertThat(read("container/Dockerfile")).contains("COPY jvm.options /app/jvm.options");
        assertThat(read("container/entrypoint.sh")).contains("\"$app/jvm.options\"").contains("\"$java\" @\"$(jvm_options)\"")
                .doesNotContain("UseSerialGC");
    }

    @Test
    void theBenchmarkStartsTheGatewayWithTheFileByDefault() throws IOException {
        assertThat(read("bench/lib.sh")).contains("GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-@$PWD/jvm.options}");
        assertThat(read("bench/run.sh")).doesNotContain("GATEWAY_JAVA_OPTS=").doesNotContain("-Xmx");
        assertThat(read("bench/compare.sh")).contains("B_JAVA_OPTS=${B_JAVA_OPTS:-$(shipped \"$PWD\")}");
        assertThat(read("bench/warmup.sh")).contains("source bench/lib.sh").doesNotContain("GATEWAY_JAVA_OPTS=");
        // LOAD=stream adds only the benchmark account's stream cap, no JVM setting.
        assertThat(read("bench/cpu-pair.sh")).contains("GATEWAY_JAVA_OPTS=\"@$base/jvm.options $STREAM_OPTS\"")
                .contains("GATEWAY_JAVA_OPTS=\"@$PWD/jvm.options $STREAM_OPTS\"").doesNotContain("-Xmx")
                .contains("STREAM_OPTS=-Dtollgate.stream.max-open-per-account=1000 ;;");
    }

    private static List<String> options() throws IOException {
        return Files.readAllLines(REPO.resolve("jvm.options")).stream().map(l -> l.replaceAll("#.*", "").strip())
                .filter(l -> !l.isEmpty()).toList();
    }

    private static String read(String path) throws IOException {
        return Files.readString(REPO.resolve(path));
    }
}
