package dev.tollgate.topups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.money.Money;
import org.junit.jupiter.api.Test;

/** Stripe's integer cents and Tollgate's micro-dollars convert exactly, both ways. */
class UsdCentsTest {

    @Test
    void oneCentIsTenThousandMicroDollars() {
        assertThat(UsdCents.toMoney(1)).isEqualTo(Money.parseDollars("0.01"));
        assertThat(UsdCents.toMoney(1000)).isEqualTo(Money.parseDollars("10.00"));
        assertThat(UsdCents.of(Money.parseDollars("25.50"))).isEqualTo(2550);
    }

    @Test
    void fractionsOfACentAreNotCents() {
        assertThat(UsdCents.isWholeCents(Money.parseDollars("10.001"))).isFalse();
        assertThatThrownBy(() -> UsdCents.of(Money.parseDollars("0.000001"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeAmountsOverflowLoudlyInsteadOfWrapping() {
        assertThatThrownBy(() -> UsdCents.toMoney(Long.MAX_VALUE / 100)).isInstanceOf(ArithmeticException.class);
    }
}
