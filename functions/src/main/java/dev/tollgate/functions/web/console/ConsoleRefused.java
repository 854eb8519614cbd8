package dev.tollgate.functions.web.console;

/** A console request refused before it changed anything (a missing or wrong CSRF token): answered 403 with a page. */
public class ConsoleRefused extends RuntimeException {

    public ConsoleRefused(String message) {
        super(message, null, false, false);
    }
}
