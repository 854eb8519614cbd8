/** The web console's sessions: signed cookies that carry a key id (never a secret), and signing in with a key. */
package dev.tollgate.console;
