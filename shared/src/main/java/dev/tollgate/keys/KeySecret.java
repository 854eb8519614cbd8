package dev.tollgate.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A freshly generated key secret: shown to its owner once, then only its hash is kept.
 *
 * <p>Format: {@code sk-tg-} followed by 40 URL-safe base64 characters (240 random bits). The prefix
 * shown in key lists is the first 12 characters, enough to tell keys apart and useless to an attacker.
 */
public record KeySecret(String secret, String prefix, String hash) {

    public static final String SCHEME = "sk-tg-";
    private static final int PREFIX_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static KeySecret generate() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        String secret = SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new KeySecret(secret, secret.substring(0, PREFIX_LENGTH), hash(secret));
    }

    /** SHA-256 of the whole secret, lower-case hex: the only form in which a key is stored. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** Cheap shape check before any lookup: rejects headers that cannot be one of our keys. */
    public static boolean looksValid(String candidate) {
        return candidate != null
                && candidate.startsWith(SCHEME)
                && candidate.length() == SCHEME.length() + 40
                && candidate.chars().skip(SCHEME.length()).allMatch(KeySecret::isUrlSafe);
    }

    private static boolean isUrlSafe(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return "KeySecret[prefix=" + prefix + "]";
    }
}
