package dev.tollgate.functions.web.console;

import dev.tollgate.console.ConsoleSession;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.console.SessionCodec;
import dev.tollgate.console.SessionRules;
import dev.tollgate.error.ApiException;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Customer sign-in with a management key, and sign-out. The key travels only in the POST body and is never echoed,
 * stored or logged; the answer is a session cookie naming the key's id. The sign-in form itself is protected from
 * login CSRF by a random value in both a cookie and the form (double submit), besides the filter's Origin check.
 */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SignInController {

    static final String PRE_SESSION_COOKIE = "tg_signin";

    private final ConsoleSignIn signIn;
    private final SessionCodec codec;
    private final SessionRules rules;
    private final Pages pages;

    public SignInController(ConsoleSignIn signIn, SessionCodec codec, SessionRules rules, Pages pages) {
        this.signIn = signIn;
        this.codec = codec;
        this.rules = rules;
        this.pages = pages;
    }

    @Get("/sign-in")
    public HttpResponse<String> form(HttpRequest<?> request) {
        return signInPage(request, HttpStatus.OK, null, "/console");
    }

    @Post("/sign-in")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> signIn(HttpRequest<?> request, @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        if (!preSessionTokenMatches(request, form)) {
            return signInPage(request, HttpStatus.FORBIDDEN, "The sign-in form expired or was not sent from this page. "
                    + "Try again.", "/console");
        }
        ConsoleSession session;
        try {
            session = signIn.signIn(form.get("key"));
        } catch (ApiException e) {
            return signInPage(request, HttpStatus.valueOf(e.status()), e.getMessage(), "/console");
        }
        return pages.redirect(request, "/console")
                .cookie(pages.cookie(request, ConsoleFilter.CUSTOMER_COOKIE, codec.encode(session),
                        rules.cookieLifetime(session), "/console"))
                .cookie(pages.cleared(request, PRE_SESSION_COOKIE, "/console"));
    }

    @Post("/sign-out")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> signOut(HttpRequest<?> request) {
        return pages.redirect(request, "/console/sign-in")
                .cookie(pages.cleared(request, ConsoleFilter.CUSTOMER_COOKIE, "/console"));
    }

    HttpResponse<String> signInPage(HttpRequest<?> request, HttpStatus status, String error, String cookiePath) {
        return pages.signInPage(request, status, error, cookiePath.startsWith("/console/operator"));
    }

    static boolean preSessionTokenMatches(HttpRequest<?> request, Form form) {
        String cookie = request.getCookies().findCookie(PRE_SESSION_COOKIE).map(Cookie::getValue).orElse(null);
        String field = form.get(Csrf.FIELD);
        return cookie != null && field != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                field.getBytes(StandardCharsets.UTF_8));
    }
}
