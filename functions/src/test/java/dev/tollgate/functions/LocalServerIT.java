package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.tollgate.functions.support.Network.accepts;
import static dev.tollgate.functions.support.Network.connect;
import static dev.tollgate.functions.support.Network.externalAddress;

import dev.tollgate.functions.support.ServerProcess;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local server as {@code ./mvnw -Prun} starts it (DynamoDB Local embedded, a child of Maven): safe defaults on a
 * shared machine, and no server left behind when Maven is stopped on its own.
 */
class LocalServerIT {

    static FakeOpenAiUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAiUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void listensOnLoopbackOnlyAndKeepsItsSecretsToItsOwner() throws Exception {
        // A blank TOLLGATE_ADMIN_TOKEN: the server generates one into .local-data/admin-token, as on a fresh clone.
        try (ServerProcess server = ServerProcess.startUnderParent(upstream, Map.of("TOLLGATE_ADMIN_TOKEN", ""))) {
            assertThat(accepts(InetAddress.getLoopbackAddress(), server.port())).isTrue();
            InetAddress external = externalAddress();
            assertThatThrownBy(() -> connect(external, server.port())).as("port %d on %s", server.port(), external)
                    .isInstanceOf(ConnectException.class);

            assertThat(server.logOnce("Pull one:", Duration.ofSeconds(20))).as("the banner says what the upstream answered")
                    .contains("ollama at " + upstream.baseUrl() + " answered, but has none of the catalog's models")
                    .contains("Pull one: ollama pull gemma3:1b");

            Path data = server.dir().resolve(".local-data");
            assertThat(permissions(data)).isEqualTo("rwx------");
            assertThat(permissions(data.resolve("admin-token"))).isEqualTo("rw-------");
            assertThat(permissions(data.resolve("demo-key"))).isEqualTo("rw-------");
        }
    }

    @Test
    void listensOnTheNetworkWhenConfiguredTo() throws Exception {
        InetAddress external = externalAddress();
        try (ServerProcess server = ServerProcess.startUnderParent(upstream, Map.of("MICRONAUT_SERVER_HOST", "0.0.0.0"))) {
            assertThat(accepts(external, server.port())).as("port %d on %s", server.port(), external).isTrue();
        }
    }

    /**
     * An IDE's stop button or a process manager signals Maven alone; the server used to stay, still answering. (This
     * server's upstream is down: the banner says so.)
     */
    @Test
    void stopsWhenTheProcessThatStartedItEnds() throws Exception {
        try (ServerProcess server = ServerProcess.startUnderParent(upstream,
                Map.of("TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL", "http://127.0.0.1:9/v1"))) {
            assertThat(server.logOnce("ollama pull", Duration.ofSeconds(20)))
                    .contains("ollama at http://127.0.0.1:9/v1 did not answer (connection refused)")
                    .contains("ollama serve, then: ollama pull gemma3:1b");
            ProcessHandle java = server.server();
            assertThat(java.pid()).isNotEqualTo(server.process().pid());

            server.process().destroyForcibly(); // SIGKILL: the parent runs nothing on its way out

            assertThat(java.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(accepts(InetAddress.getLoopbackAddress(), server.port())).isFalse();
            assertThat(server.logOnce("has ended: stopping", Duration.ofSeconds(10))).contains("has ended: stopping");
        }
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
