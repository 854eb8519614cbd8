package dev.tollgate.functions.web.console;

import dev.tollgate.console.ConsoleSession;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.console.SessionCodec;
import dev.tollgate.console.SessionRules;
import dev.tollgate.functions.config.AdminToken;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Operator sign-in with the admin token (the same token and comparison as the /admin API), and sign-out. The
 * operator's cookie is separate from a customer's and scoped to /console/operator; it holds a keyed fingerprint of
 * the token, never the token, so a rotated token signs operators out.
 */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/operator")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperatorSignInController {

    private final AdminToken adminToken;
    private final ConsoleSignIn signIn;
    private final SessionCodec codec;
    private final SessionRules rules;
    private final Pages pages;

    public OperatorSignInController(AdminToken adminToken, ConsoleSignIn signIn, SessionCodec codec, SessionRules rules,
                                    Pages pages) {
        this.adminToken = adminToken;
        this.signIn = signIn;
        this.codec = codec;
        this.rules = rules;
        this.pages = pages;
    }

    @Get("/sign-in")
    public HttpResponse<String> form(HttpRequest<?> request) {
        return pages.signInPage(request, HttpStatus.OK, null, true);
    }

    @Post("/sign-in")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> signIn(HttpRequest<?> request, @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        if (!SignInController.preSessionTokenMatches(request, form)) {
            return pages.signInPage(request, HttpStatus.FORBIDDEN, "The sign-in form expired or was not sent from this "
                    + "page. Try again.", true);
        }
        Optional<String> current = adminToken.current();
        if (current.isEmpty()) {
            return pages.signInPage(request, HttpStatus.FORBIDDEN, "The operator console is closed because no admin "
                    + "token is configured (tollgate.admin.token).", true);
        }
        String presented = form.get("token") == null ? "" : form.get("token");
        if (!MessageDigest.isEqual(sha256(current.get()), sha256(presented))) {
            return pages.signInPage(request, HttpStatus.UNAUTHORIZED, "That is not the admin token.", true);
        }
        ConsoleSession session = signIn.signInOperator(codec.fingerprint(current.get()));
        return pages.redirect(request, "/console/operator")
                .cookie(pages.cookie(request, ConsoleFilter.OPERATOR_COOKIE, codec.encode(session),
                        rules.cookieLifetime(session), "/console/operator"))
                .cookie(pages.cleared(request, SignInController.PRE_SESSION_COOKIE, "/console/operator"));
    }

    @Post("/sign-out")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> signOut(HttpRequest<?> request) {
        return pages.redirect(request, "/console/operator/sign-in")
                .cookie(pages.cleared(request, ConsoleFilter.OPERATOR_COOKIE, "/console/operator"));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
