package dev.tollgate.accounts;

import dev.tollgate.money.Money;
import java.time.Instant;

/** A prepaid account. Its balance is shared by all of its keys. */
public record Account(String accountId, String name, Money balance, Instant createdAt) {
}
