package dev.tollgate.functions.support;

import dev.tollgate.keys.KeySecret;
import dev.tollgate.store.dynamo.DynamoBalanceStore;
import dev.tollgate.store.dynamo.DynamoKeyStore;
import dev.tollgate.store.dynamo.DynamoTables;
import dev.tollgate.testkit.FakeOpenAiUpstream;
import dev.tollgate.testkit.LocalDynamo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tollgate's local server ({@code dev.tollgate.local.LocalMain}, as {@code ./mvnw -Prun} starts it) in a process of
 * its own, so a test can send it SIGTERM or SIGKILL. It uses the test's DynamoDB Local (so the ledger outlives the
 * process) and fake upstream, in a fresh working directory; its output goes to {@code server.log} there.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;
    private ProcessHandle server;

    private ServerProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts the server and waits (up to 60 s) until it answers and has written its demo key. */
    public static ServerProcess start(LocalDynamo dynamo, FakeOpenAiUpstream upstream, Map<String, String> env)
            throws IOException, InterruptedException {
        return start(dynamo, upstream, env, false);
    }

    /**
     * As {@code ./mvnw -Prun} starts it: DynamoDB Local embedded (data in the working directory's .local-data/), and
     * the server a child of another process, which {@link #process()} is: a shell standing in for Maven.
     */
    public static ServerProcess startUnderParent(FakeOpenAiUpstream upstream, Map<String, String> env)
            throws IOException, InterruptedException {
        return start(null, upstream, env, true);
    }

    private static ServerProcess start(LocalDynamo dynamo, FakeOpenAiUpstream upstream, Map<String, String> env,
                                       boolean underParent) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tollgate-process");
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (underParent) {
            // `; exit` keeps the shell as the server's parent instead of replacing itself with it.
            command.addAll(List.of("sh", "-c", "\"$@\"; exit $?", "sh", java, "-Dtollgate.local.exit-with-parent=true"));
        } else {
            command.add(java);
        }
        // The shipped JVM settings, as ./mvnw -Prun passes them: the heap must hold DynamoDB Local and the server.
        command.add("@" + Path.of("..", "jvm.options").toAbsolutePath().normalize());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tollgate.local.LocalMain"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().remove("TOLLGATE_DYNAMODB_ENDPOINT");
        if (dynamo != null) {
            builder.environment().put("TOLLGATE_DYNAMODB_ENDPOINT", dynamo.endpoint().toString());
        }
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        builder.environment().put("TOLLGATE_ADMIN_TOKEN", "process-admin-token");
        builder.environment().put("TOLLGATE_UPSTREAMS_OLLAMA_BASE_URL", upstream.baseUrl().toString());
        builder.environment().putAll(env);
        ServerProcess server = new ServerProcess(builder.start(), dir, port);
        server.server = server.process.toHandle();
        try {
            server.awaitReady(Duration.ofSeconds(60));
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            server.process.destroyForcibly(); // never leave a server behind a failed start
            throw e;
        }
        if (underParent) {
            server.server = server.process.children().findFirst().orElseThrow();
        }
        return server;
    }

    public URI chat() {
        return URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
    }

    /** The demo key the server printed (and saved) on its first start: $5.00 of credit. */
    public String demoKey() throws IOException {
        return Files.readString(dir.resolve(".local-data/demo-key")).strip();
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("server.log"));
    }

    /**
     * The log once it contains {@code text} (the banner is printed after the server is ready: after the upstream
     * check), or as it is after {@code timeout}.
     */
    public String logOnce(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String log = log();
        while (!log.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            log = log();
        }
        return log;
    }

    public Process process() {
        return process;
    }

    /** The server's own process: under a parent, the parent's child; otherwise {@link #process()}. */
    public ProcessHandle server() {
        return server;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** SIGTERM, as a deploy or Ctrl-C would send; waits for the process to exit. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, nothing settles. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The account a key belongs to, read from the shared DynamoDB Local. */
    public static String accountOf(LocalDynamo dynamo, String key) {
        return new DynamoKeyStore(dynamo.client(), tables()).findByHash(KeySecret.hash(key)).orElseThrow().accountId();
    }

    /** The balance store over the tables the process uses (default prefix). */
    public static DynamoBalanceStore balances(LocalDynamo dynamo) {
        return new DynamoBalanceStore(dynamo.client(), tables());
    }

    private static DynamoTables tables() {
        return DynamoTables.withPrefix("tollgate-");
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(dir.resolve(".local-data/demo-key")) && accepts()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start within " + timeout + ":\n" + log());
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        ProcessHandle server = server();
        if (process.isAlive()) {
            kill();
        }
        if (server.isAlive()) {
            server.destroyForcibly();
        }
    }
}
