package dev.tollgate.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Money is integer micro-dollars (DESIGN.md "Money"): parsing and printing must never lose a micro-dollar. */
class MoneyTest {

    @ParameterizedTest(name = "\"{0}\" is {1} µ$")
    @CsvSource({
            "5.00,        5000000",
            "5,           5000000",
            "0.000001,    1",
            "0.000120,    120",
            "0.1,         100000",
            "123.456789,  123456789",
            "0,           0",
            "-2.50,       -2500000",
            "999999999999.999999, 999999999999999999",
    })
    void parsesDollarsExactly(String dollars, long micros) {
        assertThat(Money.parseDollars(dollars).micros()).isEqualTo(micros);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @NullSource
    @ValueSource(strings = {"1.0000001", "abc", "1e3", "", " 1.00", "1.", ".5", "$5", "1,000.00", "+1", "0x10",
            "1.00 ", "NaN", "1234567890123"})
    void rejectsAnythingButAPlainDecimalWithAtMostSixPlaces(String dollars) {
        assertThatThrownBy(() -> Money.parseDollars(dollars))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 6 decimals");
    }

    @ParameterizedTest(name = "{0} µ$ prints as {1}")
    @CsvSource({
            "0,         0.000000",
            "1,         0.000001",
            "5000000,   5.000000",
            "4999880,   4.999880",
            "123456789, 123.456789",
            "-120,      -0.000120",
    })
    void toDollarsAlwaysHasSixPlaces(long micros, String dollars) {
        assertThat(Money.ofMicros(micros).toDollars()).isEqualTo(dollars);
    }

    @Test
    void toDollarsRoundTripsThroughParse() {
        for (long micros : new long[] {0, 1, 999_999, 1_000_000, 1_234_567_891L, -7}) {
            Money money = Money.ofMicros(micros);
            assertThat(Money.parseDollars(money.toDollars())).isEqualTo(money);
        }
    }

    @Test
    void displayPutsTheSignBeforeTheDollarSign() {
        assertThat(Money.ofMicros(120).display()).isEqualTo("$0.000120");
        assertThat(Money.ofMicros(-2_500_000).display()).isEqualTo("-$2.500000");
        assertThat(Money.ofMicros(120)).hasToString("$0.000120");
    }

    @Test
    void ofDollarsAcceptsOnlyWholeMicroDollars() {
        assertThat(Money.ofDollars(new BigDecimal("1.5"))).isEqualTo(Money.ofMicros(1_500_000));
        assertThatThrownBy(() -> Money.ofDollars(new BigDecimal("0.0000005")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void arithmetic() {
        Money five = Money.ofMicros(5);
        Money three = Money.ofMicros(3);
        assertThat(five.plus(three)).isEqualTo(Money.ofMicros(8));
        assertThat(three.minus(five)).isEqualTo(Money.ofMicros(-2));
        assertThat(five.negate()).isEqualTo(Money.ofMicros(-5));
        assertThat(five.negate().negate()).isEqualTo(five);
        assertThat(five.min(three)).isEqualTo(three);
        assertThat(three.min(five)).isEqualTo(three);
        assertThat(five.max(three)).isEqualTo(five);
        assertThat(three.max(five)).isEqualTo(five);
        assertThat(Money.ofMicros(-1).max(Money.ZERO)).isEqualTo(Money.ZERO);
    }

    @Test
    void predicatesAndOrdering() {
        assertThat(Money.ZERO.isZero()).isTrue();
        assertThat(Money.ofMicros(1).isPositive()).isTrue();
        assertThat(Money.ofMicros(1).isNegative()).isFalse();
        assertThat(Money.ofMicros(-1).isNegative()).isTrue();
        assertThat(Money.ofMicros(-1).isZero()).isFalse();
        assertThat(Money.ofMicros(1).lessThan(Money.ofMicros(2))).isTrue();
        assertThat(Money.ofMicros(2).lessThan(Money.ofMicros(2))).isFalse();
        assertThat(Money.ofMicros(1)).isLessThan(Money.ofMicros(2));
        assertThat(Money.ofMicros(0)).isSameAs(Money.ZERO);
        assertThat(Money.ofMicros(7).minus(Money.ofMicros(7))).isSameAs(Money.ZERO);
    }

    @Test
    void overflowThrowsInsteadOfWrapping() {
        Money max = Money.ofMicros(Long.MAX_VALUE);
        Money min = Money.ofMicros(Long.MIN_VALUE);
        assertThatThrownBy(() -> max.plus(Money.ofMicros(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> min.minus(Money.ofMicros(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(min::negate).isInstanceOf(ArithmeticException.class);
    }
}
