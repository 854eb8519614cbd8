package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The console's cookies: signed, unforgeable without the secret, and they expire by a Clock. */
class SessionCodecTest {

    static final SessionCodec CODEC = new SessionCodec("a-session-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8));
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final ConsoleSession SESSION = new ConsoleSession(ConsoleSession.Kind.CUSTOMER, "acct_0123456789abcdefghij",
            "key_0123456789abcdefghij", "ses_0123456789abcdefghij", T0, T0);

    @Test
    void aCookieReadsBackAsTheSessionAndHoldsOnlyIds() {
        String cookie = CODEC.encode(SESSION);

        assertThat(CODEC.decode(cookie)).contains(SESSION);
        String payload = new String(Base64.getUrlDecoder().decode(cookie.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).isEqualTo("CUSTOMER|acct_0123456789abcdefghij|key_0123456789abcdefghij|ses_0123456789abcdefghij|"
                + T0.getEpochSecond() + "|" + T0.getEpochSecond());
    }

    @Test
    void aChangedPayloadOrAnotherSecretsSignatureIsRefused() {
        String cookie = CODEC.encode(SESSION);
        String[] parts = cookie.split("\\.");
        String otherAccount = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("CUSTOMER|acct_zzzzzzzzzzzzzzzzzzzz|key_0123456789abcdefghij|ses_0123456789abcdefghij|1|1")
                        .getBytes(StandardCharsets.UTF_8));
        SessionCodec other = new SessionCodec("another-secret-of-at-least-32-bytes!!!".getBytes(StandardCharsets.UTF_8));

        assertThat(CODEC.decode(parts[0] + "." + otherAccount + "." + parts[2])).isEmpty();
        assertThat(CODEC.decode(other.encode(SESSION))).isEmpty();
        assertThat(CODEC.decode("v1." + parts[1] + ".")).isEmpty();
        assertThat(CODEC.decode("garbage")).isEmpty();
        assertThat(CODEC.decode(null)).isEmpty();
    }

    @Test
    void theCsrfTokenBelongsToOneSession() {
        ConsoleSession another = new ConsoleSession(ConsoleSession.Kind.CUSTOMER, SESSION.accountId(), SESSION.subject(),
                "ses_zzzzzzzzzzzzzzzzzzzz", T0, T0);

        assertThat(CODEC.validCsrf(SESSION, CODEC.csrfToken(SESSION))).isTrue();
        assertThat(CODEC.validCsrf(SESSION, CODEC.csrfToken(another))).isFalse();
        assertThat(CODEC.validCsrf(SESSION, null)).isFalse();
        assertThat(CODEC.validCsrf(SESSION, "")).isFalse();
    }

    @Test
    void sessionsEndWhenIdleAndAtTheAbsoluteLimitByTheClock() {
        SessionRules at29m = rules(T0.plus(Duration.ofMinutes(29)));
        SessionRules at31m = rules(T0.plus(Duration.ofMinutes(31)));
        ConsoleSession active = SESSION.seenAt(T0.plus(Duration.ofHours(7).plusMinutes(50)));

        assertThat(at29m.live(SESSION)).isTrue();
        assertThat(at31m.live(SESSION)).isFalse();
        assertThat(rules(T0.plus(Duration.ofHours(7).plusMinutes(59))).live(active)).isTrue();
        assertThat(rules(T0.plus(Duration.ofHours(8))).live(active)).isFalse();
        assertThat(rules(T0.minus(Duration.ofMinutes(5))).live(SESSION)).as("issued in the future").isFalse();
    }

    @Test
    void aUsedSessionIsRefreshedAtMostOnceAMinute() {
        assertThat(rules(T0.plusSeconds(30)).refreshed(SESSION)).isNull();
        assertThat(rules(T0.plusSeconds(61)).refreshed(SESSION).lastSeen()).isEqualTo(T0.plusSeconds(61));
        assertThat(rules(T0.plusSeconds(61)).cookieLifetime(SESSION)).isEqualTo(Duration.ofHours(8).minusSeconds(61));
    }

    private static SessionRules rules(Instant now) {
        return new SessionRules(Duration.ofMinutes(30), Duration.ofHours(8), Clock.fixed(now, ZoneOffset.UTC));
    }
}
