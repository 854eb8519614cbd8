/**
 * Prepaid top-ups through a payment provider (Stripe Checkout): the order written before the customer
 * pays, the webhook use case that credits it exactly once, and the refunds and lost disputes that take
 * it back. Plain Java: the Stripe adapter lives in the application and speaks to this package through
 * {@link dev.tollgate.topups.CheckoutGateway} and {@link dev.tollgate.topups.PaymentEvent}.
 */
package dev.tollgate.topups;
