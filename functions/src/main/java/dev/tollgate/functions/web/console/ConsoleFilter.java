package dev.tollgate.functions.web.console;

import dev.tollgate.console.ConsoleSession;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.console.SessionCodec;
import dev.tollgate.console.SessionRules;
import dev.tollgate.functions.config.AdminToken;
import dev.tollgate.functions.config.ConsoleConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Optional;

/**
 * The console's security model, in one place, for every /console request:
 * <ul>
 *   <li>A state-changing request (anything but GET/HEAD) must come from this site: its Origin, or without one its
 *       Referer, must be this deployment's origin. The CSRF token in the form is checked by the controller
 *       ({@link Csrf}); both must pass.</li>
 *   <li>Pages other than sign-in and static files need a session: the signed cookie is checked (signature, idle and
 *       absolute expiry), and for customers the key it names is looked up again through the API's key lookup, so a
 *       revoked or disabled key is signed out within the key cache TTL. Operators' cookies hold a fingerprint of
 *       the admin token, so rotating the token signs them out.</li>
 *   <li>Every response gets the CSP (no inline script, {@code frame-ancestors 'none'}), nosniff, a same-origin
 *       Referrer-Policy and {@code Cache-Control: no-store} (pages show balances and, once, key secrets).</li>
 * </ul>
 */
@ServerFilter({"/console", "/console/**"})
public class ConsoleFilter {

    public static final String CUSTOMER = "tollgate.console.customer";
    public static final String OPERATOR = "tollgate.console.operator";
    public static final String CUSTOMER_COOKIE = "tg_console";
    public static final String OPERATOR_COOKIE = "tg_operator";
    private static final String REFRESH = "tollgate.console.refresh";

    private final ConsoleSignIn signIn;
    private final SessionCodec codec;
    private final SessionRules rules;
    private final AdminToken adminToken;
    private final ConsoleSite site;
    private final Pages pages;
    private final String csp;

    public ConsoleFilter(ConsoleSignIn signIn, SessionCodec codec, SessionRules rules, AdminToken adminToken,
                         ConsoleSite site, Pages pages, ConsoleConfig config) {
        this.signIn = signIn;
        this.codec = codec;
        this.rules = rules;
        this.adminToken = adminToken;
        this.site = site;
        this.pages = pages;
        // Checkout is reached by a redirect from the billing form, which form-action governs too.
        this.csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "form-action 'self' " + String.join(" ", config.getCheckoutOrigins())
                + "; frame-ancestors 'none'; base-uri 'none'";
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        boolean changes = request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD;
        if (changes && !site.sameOrigin(request)) {
            return pages.refused(request, "This form was sent from another site (its Origin is not this console's), "
                    + "so nothing was changed. Open the console and submit the form there.");
        }
        String path = request.getPath();
        if (isPublic(path)) {
            return null;
        }
        if (path.startsWith("/console/operator")) {
            Optional<ConsoleSession> operator = cookie(request, OPERATOR_COOKIE).flatMap(codec::decode)
                    .filter(s -> s.kind() == ConsoleSession.Kind.OPERATOR && rules.live(s))
                    .filter(s -> adminToken.current().map(codec::fingerprint).filter(s.subject()::equals).isPresent());
            if (operator.isEmpty()) {
                return pages.redirect(request, "/console/operator/sign-in");
            }
            ConsoleSession refreshed = rules.refreshed(operator.get());
            request.setAttribute(OPERATOR, refreshed == null ? operator.get() : refreshed);
            if (refreshed != null) {
                request.setAttribute(REFRESH, pages.cookie(request, OPERATOR_COOKIE, codec.encode(refreshed),
                        rules.cookieLifetime(refreshed), "/console/operator"));
            }
            return null;
        }
        Optional<ConsoleSignIn.Customer> customer = cookie(request, CUSTOMER_COOKIE).flatMap(codec::decode)
                .flatMap(signIn::resume);
        if (customer.isEmpty()) {
            return pages.redirect(request, "/console/sign-in");
        }
        request.setAttribute(CUSTOMER, customer.get());
        if (customer.get().refreshed()) {
            ConsoleSession s = customer.get().session();
            request.setAttribute(REFRESH, pages.cookie(request, CUSTOMER_COOKIE, codec.encode(s), rules.cookieLifetime(s),
                    "/console"));
        }
        return null;
    }

    @ResponseFilter
    public void secure(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", csp);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "same-origin");
        response.header("X-Frame-Options", "DENY");
        if (!response.getHeaders().contains("Cache-Control")) {
            response.header("Cache-Control", "no-store");
        }
        request.getAttribute(REFRESH, Cookie.class).ifPresent(response::cookie);
    }

    static boolean isPublic(String path) {
        return path.equals("/console/sign-in") || path.equals("/console/sign-out") || path.startsWith("/console/static/")
                || path.equals("/console/operator/sign-in") || path.equals("/console/operator/sign-out");
    }

    private static Optional<String> cookie(HttpRequest<?> request, String name) {
        return request.getCookies().findCookie(name).map(Cookie::getValue);
    }
}
