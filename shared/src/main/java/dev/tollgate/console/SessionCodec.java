package dev.tollgate.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and reads console session cookies: {@code v1.<payload>.<HMAC-SHA256 of payload>}, both base64url. The
 * payload is plain (ids and times, nothing secret); the signature makes it unforgeable without the session secret.
 * The same secret derives each session's CSRF token, so the server keeps no session state at all, which suits
 * Lambda: any instance can check any cookie.
 */
public final class SessionCodec {

    /** Ids are our own ([a-z0-9_]), fingerprints base64url: anything else in a payload is a forgery. */
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** @param secret at least 32 bytes of randomness (the console's session secret) */
    public SessionCodec(byte[] secret) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the console session secret must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public String encode(ConsoleSession s) {
        String payload = String.join("|", s.kind().name(), s.accountId() == null ? "-" : s.accountId(), s.subject(),
                s.sessionId(), Long.toString(s.issuedAt().getEpochSecond()), Long.toString(s.lastSeen().getEpochSecond()));
        String body = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return "v1." + body + "." + B64.encodeToString(mac("session|" + body));
    }

    /** The session a cookie carries, if its signature is ours and its fields are well formed. */
    public Optional<ConsoleSession> decode(String cookie) {
        if (cookie == null || cookie.length() > 1000) {
            return Optional.empty();
        }
        String[] parts = cookie.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            return Optional.empty();
        }
        try {
            byte[] presented = B64D.decode(parts[2]);
            if (!MessageDigest.isEqual(mac("session|" + parts[1]), presented)) {
                return Optional.empty();
            }
            String[] f = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8).split("\\|", -1);
            if (f.length != 6 || !FIELD.matcher(f[1]).matches() || !FIELD.matcher(f[2]).matches()
                    || !FIELD.matcher(f[3]).matches()) {
                return Optional.empty();
            }
            return Optional.of(new ConsoleSession(ConsoleSession.Kind.valueOf(f[0]), f[1].equals("-") ? null : f[1], f[2],
                    f[3], Instant.ofEpochSecond(Long.parseLong(f[4])), Instant.ofEpochSecond(Long.parseLong(f[5]))));
        } catch (IllegalArgumentException e) { // bad base64, kind or number
            return Optional.empty();
        }
    }

    /** The session's CSRF token: a form must carry it for any state-changing request. */
    public String csrfToken(ConsoleSession session) {
        return B64.encodeToString(mac("csrf|" + session.sessionId()));
    }

    /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
    public boolean validCsrf(ConsoleSession session, String presented) {
        return presented != null && MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** A short keyed digest of a value that must not appear in a cookie itself (the admin token). */
    public String fingerprint(String value) {
        return B64.encodeToString(mac("fingerprint|" + value)).substring(0, 22);
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
