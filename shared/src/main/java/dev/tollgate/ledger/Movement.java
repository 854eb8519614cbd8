package dev.tollgate.ledger;

import dev.tollgate.money.Money;
import java.time.Instant;

/**
 * One movement of an account's money: a ledger entry as the statement shows it.
 *
 * @param amount      what the balance moved, signed (the ledger entry's amount)
 * @param debtChange  what the account's debt moved with it, signed: positive when part of a debit could not be taken
 *                    from the balance and is owed, negative when debt was paid. Entries written before debt changes
 *                    were recorded (other than request shortfalls) read as zero.
 * @param description what it was, in words (the entry's note when it has one)
 * @param reference   the entry's reference: the Stripe checkout session of a top-up, the charge, dispute or refund of a
 *                    reversal, the operator's reference of an admin change, the request id of a reversal
 * @param requestId   the request a {@link MovementKind#REQUEST} or {@link MovementKind#REQUEST_REVERSAL} is about
 * @param stripe      the Stripe ids recorded with a top-up, refund or dispute entry; {@code null} for others
 */
public record Movement(String entryId, Instant at, MovementKind kind, Money amount, Money debtChange, String description,
                       String reference, String requestId, String keyId, String model, StripeIds stripe) {

    /**
     * What an accountant matches against Stripe: the event that caused the entry, and the Checkout Session and
     * PaymentIntent of the top-up it belongs to (Stripe's balance transactions name the charge of that PaymentIntent).
     * Any may be {@code null} when not recorded.
     */
    public record StripeIds(String eventId, String checkoutSessionId, String paymentIntentId) {
    }
}
