package dev.tollgate.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The deployment package the stack points at, {@code functions/target/tollgate-lambda.zip}, as built by the
 * functions module (which Maven builds before this one): {@code run.sh} executable at the root, the shaded
 * jar under {@code lib/} with every entry point, Micronaut's bean definitions and merged service files,
 * and without what Lambda does not need. Skipped when the bundle was not built (infra tests run alone).
 */
class LambdaBundleTest {

    static final Path BUNDLE = Path.of(StackSettings.DEFAULT_BUNDLE);

    @Test
    void theBundleHoldsAnExecutableRunShAndTheShadedJar() throws IOException {
        assumeBundle();
        Map<String, Integer> modes = unixModes(BUNDLE);
        assertThat(modes).containsKeys("run.sh", "lib/tollgate-lambda.jar");
        assertThat(modes.get("run.sh") & 0777).as("run.sh mode").isEqualTo(0755);
        try (ZipFile zip = new ZipFile(BUNDLE.toFile())) {
            String script = new String(zip.getInputStream(zip.getEntry("run.sh")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script).startsWith("#!/bin/bash").contains("dev.tollgate.functions.lambda.ChatServer")
                    .contains("lib/tollgate-lambda.jar").contains("/jvm.options").doesNotContain("\r");
            assertThat(new String(zip.getInputStream(zip.getEntry("jvm.options")).readAllBytes(), StandardCharsets.UTF_8))
                    .as("the repository's jvm.options beside run.sh").isEqualTo(Files.readString(Path.of("..", "jvm.options")));
        }
    }

    @Test
    void theJarHasEveryEntryPointAndMicronautsMetadataButNoLocalOnlyCode() throws IOException {
        assumeBundle();
        Set<String> entries = new HashSet<>();
        Map<String, String> services = new HashMap<>();
        try (ZipFile zip = new ZipFile(BUNDLE.toFile());
             JarInputStream jar = new JarInputStream(zip.getInputStream(zip.getEntry("lib/tollgate-lambda.jar")))) {
            for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                entries.add(entry.getName());
                if (entry.getName().startsWith("META-INF/services/") && !entry.isDirectory()) {
                    services.put(entry.getName().substring("META-INF/services/".length()),
                            new String(jar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(entries).contains(
                "dev/tollgate/functions/lambda/ApiHandler.class",
                "dev/tollgate/functions/lambda/StripeWebhookHandler.class",
                "dev/tollgate/functions/lambda/ReconcilerHandler.class",
                "dev/tollgate/functions/lambda/ChatServer.class",
                "application.yml",
                "io/micronaut/function/aws/proxy/payload1/ApiGatewayProxyRequestEventFunction.class",
                "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class");
        assertThat(entries).as("Micronaut 4 finds beans through one file per bean under META-INF/micronaut")
                .anyMatch(e -> e.startsWith("META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference/dev.tollgate.functions.lambda."))
                .anyMatch(e -> e.startsWith("META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference/io.micronaut.function.aws."));
        assertThat(services.get("io.micronaut.context.env.PropertySourceLoader")).as("merged from several jars")
                .contains("io.micronaut.context.env.yaml.YamlPropertySourceLoader")
                .contains("io.micronaut.jackson.core.env.JsonPropertySourceLoader");
        assertThat(services.get("software.amazon.awssdk.http.SdkHttpService")).as("only the JDK's URL connection client")
                .contains("UrlConnectionSdkHttpService").doesNotContain("software.amazon.awssdk.http.apache");
        assertThat(entries).as("left out of the Lambda jar").noneMatch(e -> e.startsWith("com/amazonaws/services/dynamodbv2/local/"))
                .noneMatch(e -> e.startsWith("dev/tollgate/local/"))
                .noneMatch(e -> e.startsWith("org/junit/"))
                .noneMatch(e -> e.startsWith("org/apache/hc/"))
                .noneMatch(e -> e.startsWith("META-INF/maven/"))
                .noneMatch(e -> e.endsWith(".SF") || e.endsWith(".RSA") || e.endsWith(".DSA"))
                .noneMatch(e -> e.contains("/native/win-") || e.contains("/native/osx-") || e.startsWith("native/lib/osx-")
                        || e.startsWith("native/lib/win-"));
    }

    @Test
    void theJarCarriesMicronautAotsClassesAndStoresItsClassesUncompressed() throws IOException {
        assumeBundle();
        Set<String> entries = new HashSet<>();
        Set<String> deflatedClasses = new HashSet<>();
        String configurers = null;
        try (ZipFile zip = new ZipFile(BUNDLE.toFile());
             JarInputStream jar = new JarInputStream(zip.getInputStream(zip.getEntry("lib/tollgate-lambda.jar")))) {
            for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                entries.add(entry.getName());
                if (entry.getName().endsWith(".class") && entry.getMethod() != ZipEntry.STORED) {
                    deflatedClasses.add(entry.getName());
                }
                if (entry.getName().equals("META-INF/services/io.micronaut.context.ApplicationContextConfigurer")) {
                    configurers = new String(jar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(entries).as("application.yml converted to Java by Micronaut AOT (functions/src/main/lambda/aot.properties)")
                .contains("dev/tollgate/aot/ApplicationStaticPropertySource.class", "application.yml");
        assertThat(configurers).as("the AOT configurer is registered").contains("dev.tollgate.aot.AOTApplicationContextConfigurer");
        assertThat(deflatedClasses).as("classes load without inflating (PackLambdaJar)").isEmpty();
    }

    /**
     * Micronaut AOT replaces the parsing of application.yml with generated code in the Lambda jar: its
     * environment, read from the jar itself, must still hold application.yml's defaults.
     */
    @Test
    void theJarsEnvironmentHasApplicationYmlsDefaults() throws Exception {
        assumeBundle();
        Path jar = Files.createTempFile("tollgate-lambda", ".jar");
        try (ZipFile zip = new ZipFile(BUNDLE.toFile());
             InputStream in = zip.getInputStream(zip.getEntry("lib/tollgate-lambda.jar"))) {
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> contexts = loader.loadClass("io.micronaut.context.ApplicationContext");
            Class<?> builders = loader.loadClass("io.micronaut.context.ApplicationContextBuilder");
            Class<?> environments = loader.loadClass("io.micronaut.context.env.Environment");
            Object builder = contexts.getMethod("builder", ClassLoader.class, String[].class).invoke(null, loader, new String[0]);
            builders.getMethod("deduceEnvironment", Boolean.class).invoke(builder, false);
            Object environment = contexts.getMethod("getEnvironment").invoke(builders.getMethod("build").invoke(builder));
            environments.getMethod("start").invoke(environment);
            Method property = environments.getMethod("getProperty", String.class, Class.class);
            assertThat(property.invoke(environment, "micronaut.aot.enabled", String.class)).isEqualTo(Optional.of("true"));
            assertThat(property.invoke(environment, "tollgate.top-up-hint", String.class))
                    .isEqualTo(Optional.of("Top up with POST /v1/billing/checkout."));
            assertThat(property.invoke(environment, "micronaut.server.max-request-size", String.class)).isEqualTo(Optional.of("16777216"));
            assertThat(property.invoke(environment, "tollgate.upstreams.ollama.base-url", String.class))
                    .isEqualTo(Optional.of("http://localhost:11434/v1"));
            environments.getMethod("stop").invoke(environment);
        } finally {
            Files.delete(jar);
        }
    }

    /** Unix permission bits of each entry, read from the zip's central directory (java.util.zip does not expose them). */
    static Map<String, Integer> unixModes(Path zip) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, 65_557)).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, size - tail.capacity());
            int eocd = tail.capacity() - 22;
            while (eocd >= 0 && tail.getInt(eocd) != 0x06054b50) {
                eocd--;
            }
            if (eocd < 0) {
                throw new IOException("no end of central directory in " + zip);
            }
            int entries = Short.toUnsignedInt(tail.getShort(eocd + 10));
            long offset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
            ByteBuffer directory = ByteBuffer.allocate(tail.getInt(eocd + 12)).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(directory, offset);
            Map<String, Integer> modes = new HashMap<>();
            int at = 0;
            for (int i = 0; i < entries; i++) {
                int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
                int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
                int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
                int external = directory.getInt(at + 38);
                byte[] name = new byte[nameLength];
                directory.get(at + 46, name);
                modes.put(new String(name, StandardCharsets.UTF_8), external >>> 16);
                at += 46 + nameLength + extraLength + commentLength;
            }
            return modes;
        }
    }

    /** Skips without the packaged bundle on a developer's machine; under CI ({@code CI=true}) that is a failure. */
    private static void assumeBundle() {
        String none = "no " + BUNDLE + ": package the functions module to check it";
        if (!Files.exists(BUNDLE) && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(none + " (CI=true: the bundle checks may not be skipped)");
        }
        assumeTrue(Files.exists(BUNDLE), none);
    }
}
