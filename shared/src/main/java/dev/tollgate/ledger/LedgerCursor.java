package dev.tollgate.ledger;

import dev.tollgate.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;

/**
 * A position in an account's ledger in time order: the entry a page stopped at, as its stored time (the index's sort
 * key, exactly as stored) and its id. It travels as an opaque string ({@code after=}) so that clients do not build
 * it; it holds nothing secret (only the caller's own entry id and time), and the query it resumes is always
 * constrained to the caller's account, so a forged cursor can only move within what the caller may read anyway.
 */
public record LedgerCursor(String at, String entryId) {

    private static final String VERSION = "1";
    private static final int MAX_ID_LENGTH = 200;

    public LedgerCursor {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entryId, "entryId");
    }

    public String encode() {
        String plain = VERSION + "|" + at + "|" + entryId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code text}, or 400 on {@code param} when it is not one this API made. */
    public static LedgerCursor decode(String text, String param) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 3);
            if (parts.length == 3 && VERSION.equals(parts[0]) && !parts[2].isEmpty() && parts[2].length() <= MAX_ID_LENGTH
                    && parts[2].chars().noneMatch(Character::isISOControl) && parts[1].length() <= 40) {
                Instant.parse(parts[1]);
                return new LedgerCursor(parts[1], parts[2]);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // reported below
        }
        throw ApiException.invalid(param, "'" + param + "' must be the next_cursor of a previous page, as returned; "
                + "leave it out for the first page.");
    }
}
