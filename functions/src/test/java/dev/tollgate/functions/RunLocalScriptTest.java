package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/run-local.sh, what {@code ./mvnw -Prun} runs, decides how the server starts: on JDK 25+ a training run
 * (record), then a start that makes the ahead-of-time cache in the background, then starts with the cache, and again
 * from the start when a module is rebuilt, the JDK changes or jvm.options does; before JDK 25, or with TOLLGATE_AOT=off, straight from target/classes.
 * Run here against a fake JDK whose {@code java} writes down its arguments and writes the files a real one would
 * (the configuration on record, the cache on create) and whose {@code jar} makes small files: the decisions and
 * the class path are the script's, the JVM's part is proven by the real starts in docs/PERFORMANCE.md.
 */
class RunLocalScriptTest {

    @TempDir
    Path root;
    private Path jdk;
    private Path calls;
    private String classpath;

    @BeforeEach
    void fakeRepositoryAndJdk() throws IOException {
        Files.copy(LaunchersUseJvmOptionsTest.REPO.resolve("scripts/run-local.sh"), root.resolve("run-local.sh"));
        Files.writeString(root.resolve("jvm.options"), "-Xmx128m\n");
        for (String module : List.of("functions", "shared")) {
            Path classes = Files.createDirectories(root.resolve(module + "/target/classes/dev"));
            Files.writeString(classes.resolve("A.class"), module);
        }
        Path lib = Files.createDirectories(root.resolve("m2"));
        Files.writeString(lib.resolve("micronaut.jar"), "jar");
        Files.writeString(lib.resolve("DynamoDBLocal-2.6.1.jar"), "jar with a Class-Path of .");
        classpath = String.join(":", root.resolve("functions/target/classes").toString(),
                root.resolve("shared/target/classes").toString(), lib.resolve("micronaut.jar").toString(),
                lib.resolve("DynamoDBLocal-2.6.1.jar").toString());
        calls = root.resolve("calls");
        jdk = root.resolve("jdk");
        fakeJdk("25.0.3");
    }

    private void fakeJdk(String version) throws IOException {
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        executable(jdk.resolve("bin/java"), """
                #!/usr/bin/env bash
                echo "$*" >>"%s"
                for a in "$@"; do
                  case $a in
                    -XX:AOTConfiguration=*) config=${a#*=} ;;
                    -XX:AOTCache=*) cache=${a#*=} ;;
                    -XX:AOTMode=*) mode=${a#*=} ;;
                  esac
                done
                [[ ${mode:-} == record ]] && echo recorded >"$config"
                [[ ${mode:-} == create ]] && echo cache >"$cache"
                exit 0
                """.formatted(calls));
        executable(jdk.resolve("bin/jar"), """
                #!/usr/bin/env bash
                case $1 in
                  --create) echo packed >"$4" ;;
                  --extract) mkdir -p META-INF && echo manifest >META-INF/MANIFEST.MF ;;
                esac
                """);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs the script as Maven does; returns the arguments of the server's java. */
    private String start(String... environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("run-local.sh").toString(), jdk.toString(),
                classpath).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("TOLLGATE_AOT_CREATE_DELAY", "0");
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process script = builder.start();
        String out = new String(script.getInputStream().readAllBytes());
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(out).isZero();
        // the server's call; a cache being made in the background may write its line after it
        String server = Files.readAllLines(calls).reversed().stream()
                .filter(l -> l.endsWith(" dev.tollgate.local.LocalMain")).findFirst().orElseThrow();
        assertThat(server).as("the server watches the script's parent, as it would Maven")
                .contains(" -Dtollgate.local.parent-pid=" + ProcessHandle.current().pid() + " ");
        return server.replace(" -Dtollgate.local.parent-pid=" + ProcessHandle.current().pid(), "");
    }

    private Path aot(String name) {
        return root.resolve("functions/target/aot").resolve(name);
    }

    /** The background create has written the cache and the script's subshell has removed the configuration. */
    private void awaitCache() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!(Files.exists(aot("tollgate.aot")) && !Files.exists(aot("tollgate.aotconf")))) {
            assertThat(Instant.now()).as("the cache made in the background").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void recordsThenMakesTheCacheInTheBackgroundThenStartsWithItFromJarsOnly() throws Exception {
        String first = start();
        assertThat(first).contains("@jvm.options -Dtollgate.local.exit-with-parent=true")
                .contains("-XX:AOTMode=record -XX:AOTConfiguration=" + aot("tollgate.aotconf"))
                .contains("-cp " + aot("functions.jar") + ":" + aot("shared.jar") + ":" + root.resolve("m2/micronaut.jar")
                        + ":" + aot("DynamoDBLocal-2.6.1.jar") + " dev.tollgate.local.LocalMain")
                .doesNotContain("target/classes");
        assertThat(aot("tollgate.aotconf")).exists();
        assertThat(root.resolve("functions/target/aot/unpacked")).doesNotExist();

        String second = start();
        assertThat(second).doesNotContain("-XX:AOT").endsWith("dev.tollgate.local.LocalMain");
        awaitCache();
        assertThat(Files.readAllLines(calls)).anyMatch(l -> l.contains("-XX:AOTMode=create -XX:AOTConfiguration="
                + aot("tollgate.aotconf") + " -XX:AOTCache=" + aot("tollgate.aot.part")));

        String third = start();
        assertThat(third).contains("-XX:AOTCache=" + aot("tollgate.aot")).doesNotContain("AOTMode");
        assertThat(start()).isEqualTo(third);
    }

    @Test
    void aRebuiltModuleMakesTheNextStartATrainingRunAgain() throws Exception {
        start();
        start();
        awaitCache();
        assertThat(start()).contains("-XX:AOTCache=");

        Path changed = root.resolve("shared/target/classes/dev/A.class");
        Files.writeString(changed, "changed");
        Files.setLastModifiedTime(changed, FileTime.from(Instant.now().plusSeconds(5)));
        Files.setLastModifiedTime(aot("shared.jar"), FileTime.from(Instant.now().minusSeconds(5)));

        assertThat(start()).contains("-XX:AOTMode=record");
        assertThat(aot("tollgate.aot")).doesNotExist();
        assertThat(Files.getLastModifiedTime(aot("shared.jar")).toInstant()).as("packed again")
                .isAfter(Instant.now().minusSeconds(4));
    }

    @Test
    void anotherJdkOrOtherJvmOptionsAreNotServedTheOldCache() throws Exception {
        start();
        start();
        awaitCache();
        Files.writeString(root.resolve("jvm.options"), "-Xmx128m\n-XX:+UseParallelGC\n");
        assertThat(start()).contains("-XX:AOTMode=record");

        start();
        awaitCache();
        assertThat(start()).contains("-XX:AOTCache=");
        fakeJdk("25.0.4");
        assertThat(start()).contains("-XX:AOTMode=record");
    }

    @Test
    void anotherClassPathIsNotServedTheOldCache() throws Exception {
        start();
        start();
        awaitCache();
        classpath = classpath + ":" + root.resolve("m2/micronaut.jar").toString().replace("micronaut", "other");
        Files.writeString(root.resolve("m2/other.jar"), "jar");

        assertThat(start()).contains("-XX:AOTMode=record");
    }

    @Test
    void beforeJdk25OrTurnedOffTheServerRunsFromTargetClassesWithoutACache() throws Exception {
        assertThat(start("TOLLGATE_AOT", "off")).isEqualTo(
                "@jvm.options -Dtollgate.local.exit-with-parent=true -cp " + classpath + " dev.tollgate.local.LocalMain");
        fakeJdk("21.0.8");
        assertThat(start()).isEqualTo(
                "@jvm.options -Dtollgate.local.exit-with-parent=true -cp " + classpath + " dev.tollgate.local.LocalMain");
        assertThat(root.resolve("functions/target/aot")).doesNotExist();
    }
}
