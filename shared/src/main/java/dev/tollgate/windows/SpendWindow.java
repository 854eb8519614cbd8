package dev.tollgate.windows;

import dev.tollgate.money.Money;

/**
 * One limit a request is checked against: a window of the account's plan (counted over all its keys) or of the
 * key itself.
 *
 * @param owner the account id ({@link Scope#ACCOUNT}) or the key id ({@link Scope#KEY}) the window counts for
 * @param source the plan's name, or {@code "key"}, for messages
 */
public record SpendWindow(Scope scope, String owner, Window window, Money limit, String source) {

    public enum Scope {
        ACCOUNT("account"), KEY("key");

        private final String wire;

        Scope(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** How a message names it: "the daily window of plan 'pro'" or "this key's daily window". */
    public String describe() {
        return scope == Scope.ACCOUNT ? "the " + window.wire() + " window of plan '" + source + "'"
                : "this key's " + window.wire() + " window";
    }
}
