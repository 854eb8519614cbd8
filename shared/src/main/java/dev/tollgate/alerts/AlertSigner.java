package dev.tollgate.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs alert webhooks like Stripe signs its own: header {@code Tollgate-Signature: t=<unix seconds>,v1=<hex>} with
 * {@code v1 = HMAC-SHA256(secret, "<t>.<body>")}. A receiver recomputes it over the raw body and refuses old
 * timestamps, which stops replays.
 */
public final class AlertSigner {

    public static final String HEADER = "Tollgate-Signature";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AlertSigner() {
    }

    public static String newSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "whsec_" + HexFormat.of().formatHex(bytes);
    }

    public static String header(String secret, long timestamp, String body) {
        return "t=" + timestamp + ",v1=" + hmac(secret, timestamp + "." + body);
    }

    /** Whether {@code header} signs {@code body} with {@code secret} (what a receiver checks; used by tests). */
    public static boolean verify(String secret, String header, String body) {
        if (header == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        return t != null && v1 != null && MessageDigest.isEqual(v1.getBytes(StandardCharsets.US_ASCII),
                hmac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII));
    }

    private static String hmac(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
