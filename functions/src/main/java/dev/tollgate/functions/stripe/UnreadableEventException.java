package dev.tollgate.functions.stripe;

/**
 * A signed Stripe event whose content cannot be read. Not a failure of Tollgate's: the verifier turns it
 * into an acknowledged, ignored event with one log line, and no stack trace.
 */
final class UnreadableEventException extends RuntimeException {

    UnreadableEventException(String message) {
        super(message, null, false, false);
    }
}
