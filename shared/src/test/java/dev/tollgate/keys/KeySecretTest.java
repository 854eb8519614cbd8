package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Key secrets: shown once, stored only as a SHA-256 hash, with a short public prefix (DESIGN.md "Keys"). */
class KeySecretTest {

    private static final String FORTY = "AbCdEfGhIj-_0123456789KlMnOpQrStUvWxYz12";

    @Test
    void generatedSecretIsSchemePlusFortyUrlSafeCharacters() {
        KeySecret key = KeySecret.generate();

        assertThat(key.secret()).startsWith("sk-tg-").hasSize(46);
        assertThat(key.secret().substring(6)).matches("[A-Za-z0-9_-]{40}");
        assertThat(KeySecret.looksValid(key.secret())).isTrue();
    }

    @Test
    void prefixIsTheFirstTwelveCharacters() {
        KeySecret key = KeySecret.generate();
        assertThat(key.prefix()).hasSize(12).isEqualTo(key.secret().substring(0, 12)).startsWith("sk-tg-");
    }

    @Test
    void hashIsTheSha256HexOfTheSecret() {
        KeySecret key = KeySecret.generate();
        assertThat(key.hash()).isEqualTo(KeySecret.hash(key.secret())).matches("[0-9a-f]{64}");
    }

    @Test
    void hashMatchesKnownVectors() {
        // FIPS 180-2 appendix B.1 test vector for SHA-256("abc").
        assertThat(KeySecret.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // Computed independently: printf %s 'sk-tg-AAAA…(40 × A)' | sha256sum
        assertThat(KeySecret.hash("sk-tg-" + "A".repeat(40)))
                .isEqualTo("8523a7fd0d2888a6716c3cb8a34150e238f71c791fc219877b7754d299d550ad");
    }

    @Test
    void generatedSecretsAreDistinct() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            secrets.add(KeySecret.generate().secret());
        }
        assertThat(secrets).hasSize(1000);
    }

    @Test
    void looksValidAcceptsTheExactShape() {
        assertThat(KeySecret.looksValid("sk-tg-" + FORTY)).isTrue();
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {
            "sk-live-AbCdEfGhIj-_0123456789KlMnOpQrStUvWxYz", // wrong scheme
            "SK-TG-AbCdEfGhIj-_0123456789KlMnOpQrStUvWxYz12", // scheme is case-sensitive
            "sk-AbCdEfGhIj-_0123456789KlMnOpQrStUvWxYz12abc", // OpenAI-style
            "sk-tg-AbCdEfGhIj-_0123456789KlMnOpQrStUvWxYz1",  // 39 characters
            "sk-tg-AbCdEfGhIj-_0123456789KlMnOpQrStUvWxYz123", // 41 characters
            "sk-tg-",
            "sk-tg-AbCdEfGhIj+/0123456789KlMnOpQrStUvWxYz12", // standard base64, not URL-safe
            "sk-tg-AbCdEfGhIj=_0123456789KlMnOpQrStUvWxYz12", // padding
            "sk-tg-AbCdEfGhIj _0123456789KlMnOpQrStUvWxYz12", // space
            "sk-tg-AbCdEfGhIjé_0123456789KlMnOpQrStUvWxYz12", // non-ASCII letter
            " sk-tg-AbCdEfGhIj-_0123456789KlMnOpQrStUvWxYz1",
    })
    void looksValidRejectsWrongPrefixLengthOrCharacters(String candidate) {
        assertThat(KeySecret.looksValid(candidate)).isFalse();
    }

    @Test
    void toStringDoesNotLeakTheSecretOrTheHash() {
        KeySecret key = KeySecret.generate();
        assertThat(key.toString())
                .contains(key.prefix())
                .doesNotContain(key.secret())
                .doesNotContain(key.secret().substring(12))
                .doesNotContain(key.hash());
    }
}
