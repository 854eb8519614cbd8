package dev.tollgate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.Sse;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.testkit.Behavior;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.testkit.LocalDynamo;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The container image's entry point run the way the image runs it (container/Dockerfile): {@code entrypoint.sh
 * serve} from a folder laid out like the image's /app (the script and the repository's jvm.options), its
 * environment for configuration, against DynamoDB Local with the tables created beforehand (the container creates
 * none). Only the jar differs: the build tree's classpath instead of the shaded jar, which Maven packs after the tests.
 */
class ContainerEntryPointIT {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final String ADMIN = "container-admin-token";
    static LocalDynamo dynamo;
    static FakeOpenAiUpstream upstream;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        upstream = FakeOpenAiUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        dynamo.close();
    }

    @Test
    void servesARealRequestWithTheShippedJvmSettingsAndDrainsOnSigterm() throws Exception {
        String prefix = "ctr-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        // In the task's region (AWS_REGION below), which the server must take for DynamoDB: DynamoDB Local keeps
        // each region's tables apart, so tables made in the default region would not be found.
        DynamoDbClient euWest1 = DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        DynamoTables.withPrefix(prefix).createMissing(euWest1);
        Path app = Files.createTempDirectory("tollgate-app");
        Files.copy(REPO.resolve("jvm.options"), app.resolve("jvm.options"));
        Files.copy(REPO.resolve("container/entrypoint.sh"), app.resolve("entrypoint.sh"), StandardCopyOption.COPY_ATTRIBUTES);
        int port = freePort();
        Map<String, String> env = Map.ofEntries(
                Map.entry("JAVA_HOME", System.getProperty("java.home")),
                Map.entry("TOLLGATE_CLASSPATH", System.getProperty("java.class.path")),
                Map.entry("MICRONAUT_SERVER_PORT", Integer.toString(port)),
                Map.entry("TOLLGATE_DYNAMODB_ENDPOINT", dynamo.endpoint().toString()),
                Map.entry("TOLLGATE_DYNAMODB_TABLE_PREFIX", prefix),
                Map.entry("AWS_REGION", "eu-west-1"),
                Map.entry("TOLLGATE_ADMIN_TOKEN", ADMIN),
                Map.entry("TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL", upstream.baseUrl().toString()),
                Map.entry("TOLLGATE_STREAM_SHUTDOWN_GRACE", "1s"),
                Map.entry("TMPDIR", app.toString())); // where the entry point writes the JVM's argument file (/tmp in the image)
        ProcessBuilder builder = new ProcessBuilder(app.resolve("entrypoint.sh").toString(), "serve")
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(app.resolve("server.log").toFile());
        builder.environment().remove("TOLLGATE_DYNAMODB_ENDPOINT");
        builder.environment().putAll(env);
        Process entry = builder.start();
        CountDownLatch never = new CountDownLatch(1);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(entry, base, app);

            assertThat(healthCommand(app, env)).as("the image's HEALTHCHECK command").isZero();
            // Read from /proc: ProcessHandle.Info leaves out a command line as long as the build tree's classpath.
            long pid = entry.children().findFirst().orElseThrow().pid();
            List<String> jvm = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
            assertThat(jvm).as("the JVM's command line").contains("-XX:MaxRAMPercentage=60", "-XX:InitialRAMPercentage=12.5",
                    "dev.tollgate.functions.container.ContainerMain").anyMatch(a -> a.startsWith("@") && a.endsWith("tollgate-jvm.options"));
            String effective = Files.readString(app.resolve("tollgate-jvm.options"));
            assertThat(effective).as("jvm.options less its heap lines").contains("-XX:+UseSerialGC").doesNotContain("-Xmx", "-Xms");

            HttpResponse<String> opened = Http.post(base.resolve("/admin/accounts"), ADMIN, "{\"name\":\"container\",\"credit_usd\":\"5.00\"}");
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
            String key = new ObjectMapper().readTree(opened.body()).get("api_key").asText();
            HttpResponse<String> chat = Http.post(base.resolve("/v1/chat/completions"), key,
                    "{\"model\":\"qwen3:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(chat.body()).contains("\"choices\"");
            assertThat(euWest1.scan(b -> b.tableName(prefix + "ledger")).count()).as("the request was billed in the named tables")
                    .isPositive();

            upstream.enqueue(Behavior.defaults().noUsage().holdAfterPiece(1, never));
            HttpResponse<InputStream> stream = Http.postStreaming(base.resolve("/v1/chat/completions"), key,
                    "{\"model\":\"qwen3:latest\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertThat(stream.statusCode()).isEqualTo(200);
            try (Sse sse = new Sse(stream.body())) {
                sse.nextLine();
                sse.nextLine();
                entry.destroy(); // SIGTERM to the entry point, as `docker stop` and ECS send it to the container
                assertThat(entry.waitFor(40, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
                assertThat(entry.exitValue()).as(Files.readString(app.resolve("server.log"))).isZero();
                List<String> rest = sse.rest();
                assertThat(rest).as("the open stream was ended, not cut").isNotEmpty();
                assertThat(rest.getLast()).isEqualTo("data: [DONE]");
            }
            assertThat(app.resolve(".local-data")).as("nothing embedded").doesNotExist();
        } finally {
            euWest1.close();
            never.countDown();
            entry.descendants().forEach(ProcessHandle::destroyForcibly);
            entry.destroyForcibly();
        }
    }

    private static void awaitHealthy(Process entry, URI base, Path app) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(entry.isAlive()).as(() -> log(app)).isTrue();
            try {
                if (Http.get(base.resolve("/health"), null).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // connection refused until the server listens
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not healthy within 90 s:\n" + log(app));
    }

    private static int healthCommand(Path app, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder health = new ProcessBuilder(app.resolve("entrypoint.sh").toString(), "health").redirectErrorStream(true);
        health.environment().putAll(env);
        Process process = health.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static String log(Path app) {
        try {
            return Files.readString(app.resolve("server.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
