package dev.tollgate.functions.web.console;

import dev.tollgate.console.ConsoleSession;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.console.SessionCodec;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Renders console pages (jte, escaped by default) and builds the redirects and cookies they answer with. */
@Singleton
public class Pages {

    private final TemplateEngine engine;
    private final ConsoleSite site;
    private final SessionCodec codec;

    public Pages(TemplateEngine engine, ConsoleSite site, SessionCodec codec) {
        this.engine = engine;
        this.site = site;
        this.codec = codec;
    }

    /** The layout's data for a page of the signed-in customer or operator (or a public page). */
    public Chrome chrome(HttpRequest<?> request, String title, String active) {
        String prefix = site.prefix(request);
        ConsoleSignIn.Customer customer = request.getAttribute(ConsoleFilter.CUSTOMER, ConsoleSignIn.Customer.class).orElse(null);
        if (customer != null) {
            String name = customer.key().name() == null ? customer.key().keyId() : customer.key().name();
            return new Chrome(title, active, prefix, codec.csrfToken(customer.session()),
                    customer.key().accountId() + " · key " + name, "customer");
        }
        ConsoleSession operator = request.getAttribute(ConsoleFilter.OPERATOR, ConsoleSession.class).orElse(null);
        if (operator != null) {
            return new Chrome(title, active, prefix, codec.csrfToken(operator), "Operator", "operator");
        }
        return new Chrome(title, active, prefix, null, null, "public");
    }

    public MutableHttpResponse<String> render(String template, Map<String, Object> params) {
        return render(HttpStatus.OK, template, params);
    }

    public MutableHttpResponse<String> render(HttpStatus status, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE.getName() + ";charset=utf-8")
                .body(out.toString());
    }

    /** A page with the layout: {@code params} plus {@code chrome}. */
    public MutableHttpResponse<String> page(HttpRequest<?> request, String template, String title, String active,
                                            Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("chrome", chrome(request, title, active));
        return render(template, all);
    }

    /** 303 See Other to a console path, e.g. {@code /console/keys}: after a form post, the browser GETs it. */
    public MutableHttpResponse<String> redirect(HttpRequest<?> request, String consolePath) {
        return HttpResponse.<String>status(HttpStatus.SEE_OTHER).header("Location", site.prefix(request) + consolePath);
    }

    /** A 403 page: a form post the console refused, with what to do next. */
    public MutableHttpResponse<String> refused(HttpRequest<?> request, String message) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", chrome(request, "Refused", ""));
        params.put("message", message);
        return render(HttpStatus.FORBIDDEN, "refused.jte", params);
    }

    /**
     * The sign-in page (customer or operator) with a fresh pre-session token, in a cookie and in the form: a login
     * form must not be postable from another site either (login CSRF).
     */
    public MutableHttpResponse<String> signInPage(HttpRequest<?> request, HttpStatus status, String error, boolean operator) {
        String token = dev.tollgate.keys.Ids.newId("si");
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", chrome(request, operator ? "Operator sign-in" : "Sign in", ""));
        params.put("token", token);
        params.put("error", error);
        params.put("operator", operator);
        return render(status, "signin.jte", params).cookie(cookie(request, SignInController.PRE_SESSION_COOKIE, token,
                Duration.ofHours(1), operator ? "/console/operator" : "/console"));
    }

    /** An HttpOnly, SameSite=Strict cookie for the console's paths; Secure unless on localhost. */
    public Cookie cookie(HttpRequest<?> request, String name, String value, Duration maxAge, String consolePath) {
        return Cookie.of(name, value).httpOnly(true).secure(site.secureCookies(request)).sameSite(SameSite.Strict)
                .path(site.prefix(request) + consolePath).maxAge(maxAge);
    }

    /** The same cookie emptied and expired: how sign-out removes it. */
    public Cookie cleared(HttpRequest<?> request, String name, String consolePath) {
        return cookie(request, name, "", Duration.ZERO, consolePath);
    }
}
