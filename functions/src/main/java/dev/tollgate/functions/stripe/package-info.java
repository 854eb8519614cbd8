/**
 * The Stripe adapter: Checkout Sessions through an injected {@code StripeClient}, and webhook payloads
 * verified with {@code Webhook.constructEvent} and reduced to {@link dev.tollgate.topups.PaymentEvent}s. It
 * lives in the application because stripe-java is a dependency of this module only.
 */
package dev.tollgate.functions.stripe;
