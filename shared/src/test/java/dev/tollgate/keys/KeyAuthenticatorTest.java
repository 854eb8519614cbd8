package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer-key authentication with a per-instance cache: revocation takes effect within the TTL. */
class KeyAuthenticatorTest {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final MutableClock clock = new MutableClock(T0);
    private final KeyAuthenticator auth = new KeyAuthenticator(store, clock, TTL, 1000);
    private KeySecret secret;
    private ApiKey key;

    @BeforeEach
    void storeOneKey() {
        secret = KeySecret.generate();
        key = ApiKey.create("key_1", "acct_1", secret, "laptop", KeyRole.INFERENCE, T0.minusSeconds(3600));
        store.create(key);
    }

    /** The console's lookup by id: cached for the TTL like the API's, dropped at once when the key changes here. */
    @Test
    void byIdTheKeyIsCachedForTheTtlAndARevocationHereEndsItAtOnce() {
        assertThat(auth.authenticateById("acct_1", "key_1")).isEqualTo(key);
        int reads = store.lookups();
        assertThat(auth.authenticateById("acct_1", "key_1")).isEqualTo(key);
        assertThat(store.lookups()).as("cached").isEqualTo(reads);

        store.put(new ApiKey(key.keyId(), key.accountId(), key.secretHash(), key.prefix(), key.name(), key.role(),
                null, null, null, null, false, null, key.createdAt(), T0));
        assertThat(auth.authenticateById("acct_1", "key_1")).as("within the TTL on another instance").isEqualTo(key);
        auth.invalidate(key.secretHash());

        assertThat(catchThrowableOfType(ApiException.class, () -> auth.authenticateById("acct_1", "key_1")).getMessage())
                .contains("revoked");
        assertThat(catchThrowableOfType(ApiException.class, () -> auth.authenticateById("acct_2", "key_1")).code())
                .as("another account's id").isEqualTo(ErrorCode.INVALID_API_KEY);
    }

    @Test
    void validKeyIsReturned() {
        assertThat(auth.authenticate("Bearer " + secret.secret())).isEqualTo(key);
        assertThat(store.lookups()).isEqualTo(1);
    }

    @Test
    void schemeIsCaseInsensitiveAndSurroundingSpaceIgnored() {
        assertThat(auth.authenticate("bearer " + secret.secret())).isEqualTo(key);
        assertThat(auth.authenticate("  BEARER   " + secret.secret() + "  ")).isEqualTo(key);
    }

    @ParameterizedTest(name = "header \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void missingHeaderIs401(String header) {
        ApiException e = refused(header);
        assertThat(e.getMessage()).contains("didn't provide an API key").contains("Authorization: Bearer");
        assertThat(store.lookups()).isZero();
    }

    @Test
    void nonBearerSchemesAre401() {
        assertThat(refused("Basic dXNlcjpwYXNz").getMessage()).contains("Bearer <your API key>");
        assertThat(refused(secret.secret()).getMessage()).as("key without scheme").contains("Bearer");
        assertThat(refused("Token " + secret.secret()).getMessage()).contains("Bearer");
        assertThat(refused("Bearer").getMessage()).contains("Bearer");
        assertThat(store.lookups()).isZero();
    }

    @Test
    void malformedKeyIs401WithoutAStoreRead() {
        assertThat(refused("Bearer sk-tg-short").getMessage()).contains("Malformed API key");
        ApiException openAi = refused("Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH");
        assertThat(openAi.getMessage()).contains("Malformed API key").contains("sk-tg-")
                .doesNotContain("abcdefghijklmnopqrstuvwxyz0123456789");
        assertThat(store.lookups()).isZero();
    }

    @Test
    void unknownKeyIs401AndTheMessageDoesNotEchoTheSecret() {
        KeySecret stranger = KeySecret.generate();
        ApiException e = refused("Bearer " + stranger.secret());
        assertThat(e.getMessage()).contains("Incorrect API key provided")
                .doesNotContain(stranger.secret())
                .contains(stranger.secret().substring(stranger.secret().length() - 4));
        assertThat(store.lookups()).isEqualTo(1);
    }

    @Test
    void unknownKeysAreNotCached() {
        KeySecret stranger = KeySecret.generate();
        refused("Bearer " + stranger.secret());
        refused("Bearer " + stranger.secret());
        assertThat(store.lookups()).isEqualTo(2);

        store.create(ApiKey.create("key_2", "acct_1", stranger, null, KeyRole.INFERENCE, T0));
        assertThat(auth.authenticate("Bearer " + stranger.secret()).keyId()).as("created after a miss").isEqualTo("key_2");
    }

    @Test
    void cacheOnlyLookupNeverReadsTheStoreAndAnswersOnlyWhatTheCacheKnows() {
        String header = "Bearer " + secret.secret();
        assertThat(auth.authenticateCached(header)).as("not cached yet: a read is needed").isNull();
        assertThat(store.lookups()).isZero();

        auth.authenticate(header);
        assertThat(auth.authenticateCached(header)).isEqualTo(key);
        assertThat(store.lookups()).isEqualTo(1);

        clock.advance(TTL);
        assertThat(auth.authenticateCached(header)).as("expired: read again").isNull();
        assertThat(store.lookups()).isEqualTo(1);
    }

    @Test
    void cacheOnlyLookupRefusesMalformedHeadersWithoutAnyRead() {
        assertThat(catchThrowableOfType(ApiException.class, () -> auth.authenticateCached("Basic abc")).code())
                .isEqualTo(ErrorCode.INVALID_API_KEY);
        assertThat(catchThrowableOfType(ApiException.class, () -> auth.authenticateCached(null)).code())
                .isEqualTo(ErrorCode.INVALID_API_KEY);
        assertThat(store.lookups()).isZero();
    }

    @Test
    void secondCallWithinTtlDoesNotHitTheStore() {
        auth.authenticate("Bearer " + secret.secret());
        clock.advance(TTL.minusMillis(1));
        auth.authenticate("Bearer " + secret.secret());
        assertThat(store.lookups()).isEqualTo(1);
    }

    @Test
    void revokedKeyIsStillServedFromCacheUntilTheTtlThenRefused() {
        auth.authenticate("Bearer " + secret.secret());
        store.revoke(secret.hash(), T0.plusSeconds(1)); // revoked by another instance

        clock.advance(Duration.ofSeconds(10));
        assertThat(auth.authenticate("Bearer " + secret.secret())).as("within TTL: the documented delay").isEqualTo(key);
        assertThat(store.lookups()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(20)); // exactly TTL after the first read
        assertThat(refused("Bearer " + secret.secret()).getMessage()).contains("revoked");
        assertThat(store.lookups()).isEqualTo(2);
    }

    @Test
    void afterTtlTheKeyIsReReadAndRecached() {
        auth.authenticate("Bearer " + secret.secret());
        clock.advance(TTL.plusSeconds(1));
        auth.authenticate("Bearer " + secret.secret());
        auth.authenticate("Bearer " + secret.secret());
        assertThat(store.lookups()).isEqualTo(2);
    }

    @Test
    void deletedKeyIsRefusedAfterTtl() {
        auth.authenticate("Bearer " + secret.secret());
        store.remove(secret.hash());
        clock.advance(TTL);
        assertThat(refused("Bearer " + secret.secret()).getMessage()).contains("Incorrect API key");
    }

    @Test
    void invalidateDropsTheCachedKeyAtOnce() {
        auth.authenticate("Bearer " + secret.secret());
        store.revoke(secret.hash(), T0);

        auth.invalidate(secret.hash());

        assertThat(refused("Bearer " + secret.secret()).getMessage()).contains("revoked");
        assertThat(store.lookups()).isEqualTo(2);
    }

    @Test
    void revokedKeyIsRefusedSayingSo() {
        store.revoke(secret.hash(), T0.minusSeconds(5));
        assertThat(refused("Bearer " + secret.secret()).getMessage()).contains("revoked");
    }

    @Test
    void disabledKeyIsRefusedSayingSo() {
        store.put(withState(key, true, null));
        assertThat(refused("Bearer " + secret.secret()).getMessage()).contains("disabled");
    }

    @Test
    void expiredKeyIsRefusedSayingWhen() {
        Instant expiry = T0.minusSeconds(1);
        store.put(withState(key, false, expiry));
        assertThat(refused("Bearer " + secret.secret()).getMessage()).contains("expired").contains(expiry.toString());
    }

    @Test
    void keyExpiringWhileCachedIsRefusedAtItsExpiryNotAfterTheTtl() {
        Instant expiry = T0.plusSeconds(5);
        store.put(withState(key, false, expiry));
        assertThat(auth.authenticate("Bearer " + secret.secret()).keyId()).isEqualTo("key_1");

        clock.advance(Duration.ofSeconds(5));

        assertThat(refused("Bearer " + secret.secret()).getMessage()).contains("expired");
        assertThat(store.lookups()).as("refused from cache").isEqualTo(1);
    }

    @Test
    void aFullCacheKeepsAuthenticatingCorrectly() {
        KeyAuthenticator tiny = new KeyAuthenticator(store, clock, TTL, 2);
        KeySecret[] secrets = new KeySecret[5];
        for (int i = 0; i < secrets.length; i++) {
            secrets[i] = KeySecret.generate();
            store.create(ApiKey.create("key_c" + i, "acct_1", secrets[i], null, KeyRole.INFERENCE, T0));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < secrets.length; i++) {
                assertThat(tiny.authenticate("Bearer " + secrets[i].secret()).keyId()).isEqualTo("key_c" + i);
            }
        }
        assertThat(tiny.cacheTtl()).isEqualTo(TTL);
    }

    private ApiException refused(String header) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> auth.authenticate(header));
        assertThat(e).as("expected a 401 for %s", header).isNotNull();
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY);
        assertThat(e.code().code()).isEqualTo("invalid_api_key");
        return e;
    }

    private static ApiKey withState(ApiKey k, boolean disabled, Instant expiresAt) {
        return new ApiKey(k.keyId(), k.accountId(), k.secretHash(), k.prefix(), k.name(), k.role(), k.budget(), k.spent(),
                k.allowedModels(), expiresAt, disabled, k.rpmLimit(), k.createdAt(), k.revokedAt());
    }
}
