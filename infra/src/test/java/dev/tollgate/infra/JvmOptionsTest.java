package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the Lambda functions' JAVA_TOOL_OPTIONS are derived from jvm.options. */
class JvmOptionsTest {

    static final String FILE = """
            # a comment
            -Xms64m
            -Xmx192m   # heap: dropped on Lambda
            -XX:+UseSerialGC
            -XX:TrimNativeHeapInterval=2000
            -XX:TieredStopAtLevel=4
            -XX:MaxRAMPercentage=50

            --enable-native-access=ALL-UNNAMED
            """;

    @Test
    void keepsTheSharedVmOptionsDropsHeapSizeAndLauncherOptionsAndAddsC1Only() {
        assertThat(JvmOptions.forLambda(FILE)).isEqualTo(
                "-XX:+UseSerialGC -XX:TrimNativeHeapInterval=2000 -XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    }

    @Test
    void theBuildPacksTheRepositorysFile() {
        assertThat(JvmOptions.forLambda()).contains("-XX:+UseSerialGC").endsWith("-XX:TieredStopAtLevel=1")
                .doesNotContain("-Xmx", "--enable-native-access", "#");
    }
}
