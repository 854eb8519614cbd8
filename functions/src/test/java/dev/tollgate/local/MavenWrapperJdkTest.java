package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two commands start with {@code ./mvnw}, and the default {@code java} of many machines is older than
 * the JDK 21 Tollgate compiles for. The wrapper (through scripts/jdk.sh) must then pick an installed JDK 21+, or stop
 * at once with one line saying what to install. Each case runs the real script with a fake Java 17 first on the PATH,
 * JAVA_HOME unset, and the folders it searches replaced by a temporary one.
 */
class MavenWrapperJdkTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path temp;

    @Test
    void picksAnInstalledJdk21PlusWhenTheDefaultJavaIsOlder() throws Exception {
        Path jdks = Files.createDirectories(temp.resolve("jdks"));
        fakeJdk(jdks.resolve("zz-jdk-17"), 17); // named to be looked at first: its version, not its name, rules it out
        Path current = Path.of(System.getProperty("java.home"));
        Path link = Files.createSymbolicLink(jdks.resolve("jdk-current"), current);
        Result result;
        try {
            result = mvnw(jdks, "--version");
        } finally {
            Files.delete(link); // JUnit warns about a link to outside its temporary folder
        }

        assertThat(result.exit()).as(result.out()).isZero();
        assertThat(result.out()).contains("Apache Maven 3.9")
                .contains("runtime: " + current.toRealPath());
    }

    @Test
    void stopsAtOnceWithOneLineSayingWhatToInstallWhenThereIsNone() throws Exception {
        Path jdks = Files.createDirectories(temp.resolve("jdks"));
        fakeJdk(jdks.resolve("jdk-17"), 17);
        long start = System.nanoTime();

        Result result = mvnw(jdks, "--version");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out().strip().lines()).singleElement().asString()
                .startsWith("Tollgate needs a JDK 21 or newer (found Java 17 at " + temp.resolve("bin/java"))
                .contains("install one");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    private Result mvnw(Path jdkDirs, String... args) throws IOException, InterruptedException {
        fakeJava(temp.resolve("bin"), 17);
        String[] command = new String[args.length + 1];
        command[0] = ROOT.resolve("mvnw").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("JAVA_HOME");
        env.remove("MAVEN_OPTS");
        env.put("PATH", temp.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("TOLLGATE_JDK_DIRS", jdkDirs.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mvnw did not finish within 60 s:\n" + out);
        }
        return new Result(process.exitValue(), out);
    }

    private record Result(int exit, String out) {
    }

    /** A folder that looks like a JDK of the given version to scripts/jdk.sh (bin/java and bin/javac). */
    private static void fakeJdk(Path home, int version) throws IOException {
        fakeJava(home.resolve("bin"), version);
        executable(home.resolve("bin/javac"), "#!/bin/sh\nexit 1\n");
    }

    /** A {@code java} that answers {@code -XshowSettings:properties -version} as the given version and runs nothing. */
    private static void fakeJava(Path bin, int version) throws IOException {
        Files.createDirectories(bin);
        executable(bin.resolve("java"), """
                #!/bin/sh
                echo "    java.specification.version = %d" >&2
                echo 'openjdk version "%d.0.1"' >&2
                [ "$1" = -XshowSettings:properties ] || exit 1
                """.formatted(version, version));
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
