package dev.tollgate.keys;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Random identifiers with a readable type prefix, e.g. {@code acct_3f9a...}: 20 base-36 characters,
 * about 103 bits, so ids made on different instances do not collide.
 *
 * <p>They come from {@link SecureRandom}, never from a seeded generator such as {@code ThreadLocalRandom}:
 * Lambda SnapStart restores many instances from one memory snapshot, and a generator whose state is in
 * that snapshot would hand every one of them the same sequence of ids. One {@code nextBytes} call per id
 * (not one per character): the generator locks on each call, and request ids are made on the hot path.
 *
 * <p>Request ids ({@link #requestId}) have the same shape, but their first {@value #SECOND_DIGITS} characters are the
 * second the request started (base 36, zero-padded: until the year 4453), and the other 13 random (about 67 bits):
 * a free request's log entry is stored in a pack of that second's entries, found from the id alone
 * (docs/adr/0008, amendment).
 */
public final class Ids {

    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    /** The largest multiple of 36 that fits in a byte: values at or above it are redrawn, so no digit is favoured. */
    private static final int UNBIASED_LIMIT = 256 - 256 % ALPHABET.length;

    private Ids() {
    }

    /** Request ids' prefix. */
    public static final String REQUEST = "req";
    static final int SECOND_DIGITS = 7;
    private static final int REQUEST_ID_LENGTH = REQUEST.length() + 1 + LENGTH;

    public static String newId(String prefix) {
        char[] chars = new char[LENGTH];
        fillRandom(chars, 0);
        return prefix + "_" + new String(chars);
    }

    /** A request's id, which records the second {@code start} is in. */
    public static String requestId(Instant start) {
        char[] chars = new char[LENGTH];
        secondDigits(start.getEpochSecond()).getChars(0, SECOND_DIGITS, chars, 0);
        fillRandom(chars, SECOND_DIGITS);
        return REQUEST + "_" + new String(chars);
    }

    /**
     * A second since the epoch as a request id writes it: {@value #SECOND_DIGITS} base-36 digits, zero-padded (a
     * negative second as 0), so that digit strings sort as the seconds do.
     */
    public static String secondDigits(long second) {
        char[] digits = new char[SECOND_DIGITS];
        long rest = Math.max(0, second);
        for (int i = SECOND_DIGITS - 1; i >= 0; i--) {
            digits[i] = ALPHABET[(int) (rest % ALPHABET.length)];
            rest /= ALPHABET.length;
        }
        return new String(digits);
    }

    /**
     * The start second a request id records, as its {@value #SECOND_DIGITS} base-36 digits; empty for anything that
     * does not have a request id's shape. Ids made before request ids carried their second have the same shape: their
     * digits read as an arbitrary second, under which nothing is found.
     */
    public static OptionalLong requestSecond(String id) {
        if (id == null || id.length() != REQUEST_ID_LENGTH || !id.startsWith(REQUEST + "_")) {
            return OptionalLong.empty();
        }
        long second = 0;
        for (int i = REQUEST.length() + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return OptionalLong.empty();
            }
            if (i < REQUEST.length() + 1 + SECOND_DIGITS) {
                second = second * ALPHABET.length + digit;
            }
        }
        return OptionalLong.of(second);
    }

    private static void fillRandom(char[] chars, int from) {
        byte[] random = new byte[chars.length - from + 8];
        int filled = from;
        while (filled < chars.length) {
            RANDOM.nextBytes(random);
            for (int i = 0; i < random.length && filled < chars.length; i++) {
                int value = random[i] & 0xff;
                if (value < UNBIASED_LIMIT) {
                    chars[filled++] = ALPHABET[value % ALPHABET.length];
                }
            }
        }
    }
}
