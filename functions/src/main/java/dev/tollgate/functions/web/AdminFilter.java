package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.config.AdminToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The operator API under /admin, and the server's metrics at /metrics, take the admin token as a bearer token. The token in force is looked up on
 * every request ({@link AdminToken}: a rotated token takes effect within its TTL). Both sides are compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken depends neither on where they differ
 * nor on their lengths.
 */
@ServerFilter({"/admin/**", "/metrics"})
public class AdminFilter {

    private final AdminToken token;

    public AdminFilter(AdminToken token) {
        this.token = token;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<byte[]> authorize(HttpRequest<?> request) {
        Optional<String> current = token.current();
        if (current.isEmpty()) {
            return Json.error(ErrorCode.PERMISSION_DENIED,
                    "The admin API is disabled because no admin token is configured. Set TOLLGATE_ADMIN_TOKEN.");
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
        if (!MessageDigest.isEqual(sha256(current.get()), sha256(presented))) {
            return Json.error(ErrorCode.INVALID_API_KEY,
                    "The admin API needs 'Authorization: Bearer <admin token>' (tollgate.admin.token).");
        }
        return null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
