/**
 * Prepaid top-ups through a payment provider (Stripe Checkout): the order written before the customer
 * pays, the webhook use case that credits it exactly once, the refunds and disputes that take it back,
 * and the won disputes and failed refunds that give it back again. Plain Java: the Stripe adapter lives
 * in the application and speaks to this package through {@link dev.tollgate.topups.CheckoutGateway} and
 * {@link dev.tollgate.topups.PaymentEvent}.
 */
package dev.tollgate.topups;
