package dev.tollgate.local;

import dev.tollgate.accounts.AccountService;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.chat.ChatCompletionService;
import dev.tollgate.chat.UpstreamRouter;
import dev.tollgate.functions.telemetry.BatchedStdout;
import dev.tollgate.keys.KeyAuthenticator;
import dev.tollgate.money.Money;
import dev.tollgate.upstream.UpstreamHealth;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The local server: DynamoDB Local embedded (data in {@code .local-data/}), tables created, a demo
 * account with $5.00 and its key printed, then the same Micronaut application that runs on AWS.
 */
public final class LocalMain {

    private static final Path DATA = Path.of(".local-data");
    /** How long the banner waits for an upstream's model list. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private LocalMain() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // Jetty's and Netty's threads would keep a half-started JVM alive: say why, and stop (the shutdown
            // hooks close what was started).
            BatchedStdout.flushStdout(); // the log lines before this first
            System.err.println("Tollgate could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (Boolean.getBoolean("tollgate.local.exit-with-parent")) {
            // System.exit runs the shutdown hooks: the same graceful stop as a Ctrl-C.
            ParentWatch.start(pid -> {
                BatchedStdout.flushStdout();
                System.out.println("The process that started Tollgate (pid " + pid + ") has ended: stopping.");
                System.exit(0);
            });
        }
        LocalFiles.privateDir(DATA);
        // With TOLLGATE_DYNAMODB_ENDPOINT set (e.g. a standalone DynamoDB Local, as the benchmark uses)
        // nothing is embedded.
        String external = System.getenv("TOLLGATE_DYNAMODB_ENDPOINT");
        EmbeddedDynamo dynamo = external == null || external.isBlank() ? EmbeddedDynamo.start(DATA.resolve("dynamodb")) : null;
        Map<String, Object> properties = new HashMap<>();
        properties.put("tollgate.dynamodb.endpoint", dynamo == null ? external : dynamo.endpoint().toString());
        properties.put("tollgate.dynamodb.create-tables", true);
        properties.put("tollgate.reconciler.enabled", true);
        // Alert webhooks may go to a receiver on this machine (https is required elsewhere).
        properties.put("tollgate.alerts.allow-http-localhost", true);
        // Loopback only unless configured: the local server is for this machine (MICRONAUT_SERVER_HOST=0.0.0.0
        // opens it to the network).
        if (System.getenv("MICRONAUT_SERVER_HOST") == null && System.getProperty("micronaut.server.host") == null) {
            properties.put("micronaut.server.host", "127.0.0.1");
        }
        String adminToken = System.getenv("TOLLGATE_ADMIN_TOKEN");
        if (adminToken == null || adminToken.isBlank()) {
            adminToken = LocalFiles.readOrCreate(DATA.resolve("admin-token"), () -> "adm_" + HexFormat.of().formatHex(random(24)));
            properties.put("tollgate.admin.token", adminToken);
        }
        // The console's session cookies are signed with a secret made once and kept with the data, like the admin
        // token: sessions survive restarts, and nothing but this folder's owner can read it.
        String consoleSecret = System.getenv("TOLLGATE_CONSOLE_SESSION_SECRET");
        if (consoleSecret == null || consoleSecret.isBlank()) {
            properties.put("tollgate.console.session-secret", LocalFiles.readOrCreate(DATA.resolve("console-secret"),
                    () -> HexFormat.of().formatHex(random(32))));
        }
        ApplicationContext context = start(args, properties, dynamo);
        // Micronaut's own shutdown hook stops the server and the context (a second hook stopping them
        // too deadlocks); this one waits for that, then stops the embedded DynamoDB Local.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfter(context, dynamo), "tollgate-shutdown"));
        // Each upstream is asked for its models while the rest starts (a refused connection answers at once).
        UpstreamRouter router = context.getBean(UpstreamRouter.class);
        CompletableFuture<List<UpstreamHealth.Status>> upstreams =
                CompletableFuture.supplyAsync(() -> router.probe(PROBE_TIMEOUT),
                        task -> Thread.ofVirtual().name("tollgate-upstream-probe").start(task));
        // Built now, not at the first request: it refuses settings under which a request outlives its hold.
        context.getBean(ChatCompletionService.class);
        Demo demo = demoKey(context);
        int port = context.getBean(EmbeddedServer.class).getPort();
        List<String> upstreamLines = Banner.upstreams(upstreams.join(), context.getBean(Catalog.class));
        // The key is shown once, on the start that creates it; later starts point at the file that keeps it.
        String admin = adminToken.equals(System.getenv("TOLLGATE_ADMIN_TOKEN")) ? "(from TOLLGATE_ADMIN_TOKEN)" : adminToken;
        BatchedStdout.flushStdout(); // the start's log lines come before the banner, as they were logged
        System.out.println(Banner.render(port,
                demo.created() ? demo.key() : mask(demo.key()) + " (full key: .local-data/demo-key)",
                demo.created() ? demo.key() : "$(cat .local-data/demo-key)", admin, upstreamLines));
    }

    private static ApplicationContext start(String[] args, Map<String, Object> properties, EmbeddedDynamo dynamo) {
        try {
            // No Micronaut logo: the first thing to read is Tollgate's own banner, printed once it answers.
            return Micronaut.build(args).mainClass(LocalMain.class).banner(false).properties(properties).start();
        } catch (RuntimeException e) {
            Throwable cause = dynamo == null ? null : dynamo.failure();
            closeQuietly(dynamo);
            if (cause != null) {
                throw new IllegalStateException("DynamoDB Local could not open .local-data/dynamodb: " + cause, cause);
            }
            throw e;
        }
    }

    private static void stopAfter(ApplicationContext context, EmbeddedDynamo dynamo) {
        // Past the graceful shutdown (streams drained and settled), which is bounded by its grace period.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (context.isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(dynamo);
    }

    private static void closeQuietly(EmbeddedDynamo dynamo) {
        if (dynamo != null) {
            try {
                dynamo.close();
            } catch (Exception ignored) {
                // the process is ending anyway
            }
        }
    }

    private record Demo(String key, boolean created) {
    }

    private static String mask(String key) {
        return key.substring(0, Math.min(10, key.length())) + "..." + key.substring(Math.max(0, key.length() - 4));
    }

    /** The demo key from an earlier start if it still works, otherwise a fresh demo account. */
    private static Demo demoKey(ApplicationContext context) throws Exception {
        Path file = DATA.resolve("demo-key");
        if (Files.exists(file)) {
            String saved = LocalFiles.readSecret(file);
            try {
                context.getBean(KeyAuthenticator.class).authenticate("Bearer " + saved);
                return new Demo(saved, false);
            } catch (RuntimeException stale) {
                // the data folder was wiped: make a new demo account
            }
        }
        AccountService.Opened opened = context.getBean(AccountService.class).open("Demo", Money.parseDollars("5.00"));
        LocalFiles.writeSecret(file, opened.secret());
        return new Demo(opened.secret(), true);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
