package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import dev.tollgate.functions.config.AdminConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The operator API under /admin takes the admin token as a bearer token, compared in constant time. */
@ServerFilter("/admin/**")
public class AdminFilter {

    private final byte[] token;

    public AdminFilter(AdminConfig config) {
        String configured = config.getToken();
        this.token = configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<byte[]> authorize(HttpRequest<?> request) {
        if (token == null) {
            return Json.error(ErrorCode.PERMISSION_DENIED,
                    "The admin API is disabled because no admin token is configured. Set TOLLGATE_ADMIN_TOKEN.");
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
        if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return Json.error(ErrorCode.INVALID_API_KEY,
                    "The admin API needs 'Authorization: Bearer <admin token>' (tollgate.admin.token).");
        }
        return null;
    }
}
