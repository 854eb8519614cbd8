package dev.tollgate.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two requests "the same" for an {@code Idempotency-Key}: SHA-256 over the method, the path, the query,
 * the request headers that change the answer (given by the caller, names lower-cased) and the body in canonical form.
 * A JSON body is canonical with its object keys sorted and no insignificant whitespace, so a client that re-serialises
 * its retry in another key order is still the same request; a body that is not JSON counts byte for byte.
 */
public final class Fingerprint {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private Fingerprint() {
    }

    public static String of(String method, String path, String query, Map<String, String> headers, byte[] body) {
        MessageDigest sha = sha256();
        for (String part : List.of(method, path, query == null ? "" : query)) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        new TreeMap<>(headers).forEach((name, value) -> {
            sha.update((name + ": " + value).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        });
        sha.update((byte) 0);
        sha.update(canonical(body));
        return HexFormat.of().formatHex(sha.digest());
    }

    static byte[] canonical(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                return body;
            }
            return JSON.writeValueAsBytes(sorted(tree));
        } catch (IOException e) {
            return body;
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(name -> out.set(name, sorted(node.get(name))));
            return out;
        }
        if (node.isArray()) {
            var out = JSON.createArrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
