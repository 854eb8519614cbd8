package dev.tollgate.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prices as shown by GET /v1/models: USD per token and per million tokens, as exact decimal strings. */
class TokenPriceTest {

    @ParameterizedTest(name = "${0}/M is {1} µ$/M, ${2}/token, shown as ${3}/M")
    @CsvSource({
            "0.20,     200000,   0.0000002,      0.20",
            "0.60,     600000,   0.0000006,      0.60",
            "0.05,     50000,    0.00000005,     0.05",
            "0.10,     100000,   0.0000001,      0.10",
            "0.50,     500000,   0.0000005,      0.50",
            "1.50,     1500000,  0.0000015,      1.50",
            "0.35,     350000,   0.00000035,     0.35",
            "0.90,     900000,   0.0000009,      0.90",
            "15,       15000000, 0.000015,       15.00",
            "0.000001, 1,        0.000000000001, 0.000001",
            "0.123,    123000,   0.000000123,    0.123",
            "0,        0,        0,              0.00",
    })
    void convertsBetweenDollarsAndMicrosPerMillion(String parsed, long micros, String perToken, String perMillion) {
        TokenPrice price = TokenPrice.perMillionDollars(parsed);
        assertThat(price.microsPerMillion()).isEqualTo(micros);
        assertThat(price.dollarsPerToken()).isEqualTo(perToken);
        assertThat(price.dollarsPerMillion()).isEqualTo(perMillion);
    }

    @Test
    void perTokenIsPlainDecimalNeverScientific() {
        String perToken = new TokenPrice(1).dollarsPerToken();
        assertThat(perToken).doesNotContainIgnoringCase("e").isEqualTo("0.000000000001");
    }

    @Test
    void freeIsZero() {
        assertThat(TokenPrice.FREE.isFree()).isTrue();
        assertThat(TokenPrice.FREE.microsPerMillion()).isZero();
        assertThat(new TokenPrice(1).isFree()).isFalse();
    }

    @Test
    void negativePricesAreRejected() {
        assertThatThrownBy(() -> new TokenPrice(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenPrice.perMillionDollars("-0.20")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pricesFinerThanAMicroDollarPerMillionAreRejected() {
        assertThatThrownBy(() -> TokenPrice.perMillionDollars("0.0000001")).isInstanceOf(IllegalArgumentException.class);
    }
}
