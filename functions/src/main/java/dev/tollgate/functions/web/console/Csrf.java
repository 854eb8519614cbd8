package dev.tollgate.functions.web.console;

import dev.tollgate.console.ConsoleSession;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.console.SessionCodec;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * The per-session CSRF token every state-changing console form carries as {@code _csrf}: derived from the session
 * (HMAC), so no server state; checked here by each controller before it changes anything, on top of the filter's
 * Origin check.
 */
@Singleton
public class Csrf {

    public static final String FIELD = "_csrf";

    private final SessionCodec codec;

    public Csrf(SessionCodec codec) {
        this.codec = codec;
    }

    /** Throws {@link ConsoleRefused} (a 403 page) unless the form carries the signed-in session's token. */
    public void require(HttpRequest<?> request, Form form) {
        ConsoleSession session = request.getAttribute(ConsoleFilter.CUSTOMER, ConsoleSignIn.Customer.class)
                .map(ConsoleSignIn.Customer::session)
                .or(() -> request.getAttribute(ConsoleFilter.OPERATOR, ConsoleSession.class))
                .orElseThrow(() -> new ConsoleRefused("You are signed out. Sign in again and repeat the change."));
        if (!codec.validCsrf(session, form.get(FIELD))) {
            throw new ConsoleRefused("This form's security token is missing or does not match your session, so nothing "
                    + "was changed. Reload the page and submit the form again.");
        }
    }
}
