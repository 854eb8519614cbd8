package dev.tollgate.functions.web.console;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.tollgate.functions.config.TollgateConfig;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Locale;

/**
 * Where this deployment is, as the browser sees it: the base URL for snippets and Checkout's return, the path
 * prefix for links and the cookie's Path, the origin a form post must come from, and whether cookies may be sent
 * over plain HTTP (only on localhost).
 *
 * <p>{@code tollgate.public-base-url} wins when set. Otherwise the request says: Host and X-Forwarded-Proto, and on
 * API Gateway the stage, which is in the browser's path ({@code /prod/console}) but not in the path the application
 * routes ({@code /console}).
 */
@Singleton
public class ConsoleSite {

    private final URI configured;

    public ConsoleSite(TollgateConfig config) {
        String base = config.getPublicBaseUrl();
        this.configured = base == null || base.isBlank() ? null : URI.create(base.strip().replaceAll("/+$", ""));
    }

    /** The base URL without {@code /v1}, e.g. {@code https://abc.execute-api.us-east-1.amazonaws.com/prod}. */
    public String baseUrl(HttpRequest<?> request) {
        return configured != null ? configured.toString() : origin(request) + stagePrefix(request);
    }

    /** What to put before {@code /console} in links, redirects and the cookie Path: "" or e.g. {@code /prod}. */
    public String prefix(HttpRequest<?> request) {
        if (configured != null) {
            return configured.getRawPath() == null ? "" : configured.getRawPath();
        }
        return stagePrefix(request);
    }

    /** {@code scheme://host[:port]} of this request, as a browser's Origin header would state it. */
    public String origin(HttpRequest<?> request) {
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (host == null || host.isBlank()) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        return scheme(request) + "://" + host.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether a state-changing request's Origin (or, without one, Referer) is this site. */
    public boolean sameOrigin(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (origin != null) {
            return allowedOrigin(request, origin.strip().toLowerCase(Locale.ROOT));
        }
        String referer = request.getHeaders().get(HttpHeaders.REFERER);
        if (referer == null) {
            return false; // browsers send Origin on every cross-site POST; a post with neither is not from our pages
        }
        try {
            URI uri = URI.create(referer.strip());
            String refOrigin = (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT);
            return allowedOrigin(request, refOrigin);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean allowedOrigin(HttpRequest<?> request, String origin) {
        if (configured != null) {
            String own = (configured.getScheme() + "://" + configured.getRawAuthority()).toLowerCase(Locale.ROOT);
            if (own.equals(origin)) {
                return true;
            }
        }
        return origin.equals(origin(request));
    }

    /** Cookies get {@code Secure} everywhere but on this machine, where the local server speaks plain HTTP. */
    public boolean secureCookies(HttpRequest<?> request) {
        if (configured != null) {
            return "https".equalsIgnoreCase(configured.getScheme());
        }
        String host = URI.create(origin(request)).getHost();
        return !(host == null || host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    private static String scheme(HttpRequest<?> request) {
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].strip().toLowerCase(Locale.ROOT);
        }
        return request.isSecure() ? "https" : "http";
    }

    /** On API Gateway (REST, payload 1.0) the stage or base-path mapping before the routed path; "" elsewhere. */
    private static String stagePrefix(HttpRequest<?> request) {
        if (request instanceof ServletHttpRequest<?, ?> servlet
                && servlet.getNativeRequest() instanceof APIGatewayProxyRequestEvent event
                && event.getRequestContext() != null && event.getRequestContext().getPath() != null
                && event.getPath() != null) {
            String full = event.getRequestContext().getPath();
            if (full.endsWith(event.getPath())) {
                return full.substring(0, full.length() - event.getPath().length());
            }
        }
        return "";
    }
}
