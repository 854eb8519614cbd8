package dev.tollgate.billing;

import dev.tollgate.money.Money;

/**
 * The result of settling a request.
 *
 * @param charged       what was actually taken (the cost, or less when the balance or budget ran out)
 * @param shortfall     cost that could not be charged because the balance or key budget was exhausted
 * @param balance       the account balance after settlement
 * @param alreadySettled true when this request had been settled before: nothing changed this time
 */
public record Settlement(Money charged, Money shortfall, Money balance, boolean alreadySettled) {
}
