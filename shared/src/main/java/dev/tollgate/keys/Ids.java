package dev.tollgate.keys;

import java.security.SecureRandom;

/**
 * Random identifiers with a readable type prefix, e.g. {@code acct_3f9a...}: 20 base-36 characters,
 * about 103 bits, so ids made on different instances do not collide.
 *
 * <p>They come from {@link SecureRandom}, never from a seeded generator such as {@code ThreadLocalRandom}:
 * Lambda SnapStart restores many instances from one memory snapshot, and a generator whose state is in
 * that snapshot would hand every one of them the same sequence of ids. One {@code nextBytes} call per id
 * (not one per character): the generator locks on each call, and request ids are made on the hot path.
 */
public final class Ids {

    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    /** The largest multiple of 36 that fits in a byte: values at or above it are redrawn, so no digit is favoured. */
    private static final int UNBIASED_LIMIT = 256 - 256 % ALPHABET.length;

    private Ids() {
    }

    public static String newId(String prefix) {
        char[] chars = new char[LENGTH];
        byte[] random = new byte[LENGTH + 8];
        int filled = 0;
        while (filled < LENGTH) {
            RANDOM.nextBytes(random);
            for (int i = 0; i < random.length && filled < LENGTH; i++) {
                int value = random[i] & 0xff;
                if (value < UNBIASED_LIMIT) {
                    chars[filled++] = ALPHABET[value % ALPHABET.length];
                }
            }
        }
        return prefix + "_" + new String(chars);
    }
}
