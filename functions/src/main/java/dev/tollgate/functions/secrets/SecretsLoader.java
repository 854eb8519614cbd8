package dev.tollgate.functions.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.JsonBuffers;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Reads the secrets named by {@code TOLLGATE_SECRET_ARN_*} variables ({@link SecretBinding}) with one
 * {@code GetSecretValue} each and returns them as {@code tollgate.*} properties, so the application reads
 * secrets through its ordinary configuration classes and never knows where they came from.
 *
 * <p>Fails fast: a named secret that cannot be read (missing, no permission, malformed JSON) stops the
 * function's initialisation with a message naming the variable and the ARN, never the value. A function
 * that started without its admin token or webhook secret would otherwise fail every request later.
 */
public final class SecretsLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SecretsLoader.class);

    private final SecretsManagerClient client;

    public SecretsLoader(SecretsManagerClient client) {
        this.client = client;
    }

    /** True when the environment names at least one secret. */
    public static boolean anyConfigured(Map<String, String> env) {
        return SecretBinding.envVars().stream().anyMatch(name -> present(env.get(name)));
    }

    /**
     * The client for {@code env}: region {@code AWS_REGION} (set by Lambda), the SDK's default credentials
     * (the function's role), and the JDK's URL connection (no Apache or Netty client in the Lambda jar).
     * With {@value SecretBinding#ENDPOINT_ENV} set (tests, emulators) it talks to that endpoint instead,
     * with fixed credentials: requests are still signed, nothing checks the signature.
     */
    public static SecretsManagerClient clientFor(Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create());
        String endpoint = env.get(SecretBinding.ENDPOINT_ENV);
        if (present(endpoint)) {
            builder.endpointOverride(URI.create(endpoint))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /** Reads every secret {@code env} names; returns property name to value (empty when none is named). */
    public Map<String, Object> load(Map<String, String> env) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (SecretBinding binding : SecretBinding.values()) {
            String arn = env.get(binding.envVar());
            if (!present(arn)) {
                continue;
            }
            String value = read(binding, arn.strip());
            if (binding.shape() == SecretBinding.Shape.STRING && placeholder(value)) {
                LOG.warn("secret {} ({}) is not filled in yet: {} stays unset", binding.envVar(), arn, binding.property());
                continue;
            }
            switch (binding.shape()) {
                case STRING -> properties.put(binding.property(), value.strip());
                case JSON_MAP -> properties.putAll(expand(binding, arn, value));
            }
            LOG.info("read secret {} from {}", binding.envVar(), arn);
        }
        return properties;
    }

    /**
     * The current value of one plain-string secret that {@code env} names, read now; empty when {@code env} does
     * not name it or it holds the placeholder. Fails like {@link #load}.
     */
    public Optional<String> readString(SecretBinding binding, Map<String, String> env) {
        if (binding.shape() != SecretBinding.Shape.STRING) {
            throw new IllegalArgumentException(binding + " is not a plain-string secret");
        }
        String arn = env.get(binding.envVar());
        if (!present(arn)) {
            return Optional.empty();
        }
        String value = read(binding, arn.strip());
        return placeholder(value) ? Optional.empty() : Optional.of(value.strip());
    }

    private String read(SecretBinding binding, String arn) {
        try {
            String value = client.getSecretValue(b -> b.secretId(arn)).secretString();
            if (value == null) {
                throw new SecretsException(binding.envVar() + " names " + arn + ", which has no SecretString "
                        + "(binary secrets are not supported). Store the value as text.", null);
            }
            return value;
        } catch (SdkException e) {
            throw new SecretsException("Cannot read the secret named by " + binding.envVar() + " (" + arn + "): "
                    + e.getMessage() + ". Check that it exists and that the function's role may call "
                    + "secretsmanager:GetSecretValue on it.", e);
        }
    }

    private static Map<String, Object> expand(SecretBinding binding, String arn, String value) {
        JsonNode root;
        try {
            root = JsonBuffers.mapper().readTree(value);
        } catch (IOException e) {
            throw new SecretsException(binding.envVar() + " names " + arn + ", which must be a JSON object such as "
                    + "{\"groq\": \"gsk_...\"}; it is not valid JSON.", null);
        }
        if (root == null || !root.isObject()) {
            throw new SecretsException(binding.envVar() + " names " + arn + ", which must be a JSON object such as "
                    + "{\"groq\": \"gsk_...\"}.", null);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new SecretsException(binding.envVar() + " (" + arn + "): the value of '" + entry.getKey()
                        + "' must be a string.", null);
            }
            String text = entry.getValue().asText().strip();
            if (!text.isEmpty()) {
                properties.put(binding.property().replace("*", entry.getKey()), text);
            }
        }
        return properties;
    }

    private static boolean placeholder(String value) {
        return value.isBlank() || value.strip().startsWith(SecretBinding.PLACEHOLDER);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** A configured secret could not be read; the message says which and why, never the value. */
    public static final class SecretsException extends RuntimeException {
        SecretsException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
