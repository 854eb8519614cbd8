package dev.tollgate.ledger;

import java.util.Locale;

/**
 * What moved an account's money, as the statement names it. Derived from the ledger entry's type and the shape of
 * its idempotency key (which never changes once written), so entries written before kinds existed classify too.
 */
public enum MovementKind {
    /** A Stripe top-up credited. */
    TOPUP,
    /** A request's settlement: what the balance paid (its shortfall, if any, became debt). */
    REQUEST,
    /** A request charge given back because the work failed after it was taken. */
    REQUEST_REVERSAL,
    /** A Stripe refund taken back from the balance. */
    REFUND,
    /** A Stripe refund that failed, given back. */
    REFUND_RETURNED,
    /** A Stripe dispute: its amount held until it is won or withdrawn. */
    DISPUTE,
    /** A Stripe dispute won or withdrawn: its hold given back. */
    DISPUTE_RELEASED,
    /** Credit granted by an operator (also an account's opening credit). */
    ADMIN_CREDIT,
    /** Debit by an operator. */
    ADMIN_DEBIT,
    /** Debt (refunds, disputes or request costs the balance could not cover) paid from the balance. */
    DEBT_REPAYMENT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a ledger entry of {@code type} whose id is {@code entryId}. */
    public static MovementKind of(LedgerType type, String entryId) {
        return switch (type) {
            case TOPUP -> TOPUP;
            case ADMIN_CREDIT -> ADMIN_CREDIT;
            case ADMIN_DEBIT -> ADMIN_DEBIT;
            case CHARGE -> entryId.endsWith("#reversed") ? REQUEST_REVERSAL : REQUEST;
            case REFUND -> refundKind(entryId);
        };
    }

    /** The entry ids of {@code TopUpLedger} and {@code AccountDebts}, which are idempotency keys and so are stable. */
    private static MovementKind refundKind(String entryId) {
        if (entryId.startsWith("debt:") || (entryId.startsWith("topup:") && entryId.endsWith(":debt"))) {
            return DEBT_REPAYMENT;
        }
        if (entryId.startsWith("stripe-dispute:")) {
            return entryId.endsWith(":released") ? DISPUTE_RELEASED : DISPUTE;
        }
        if (entryId.startsWith("stripe-refund-failed:")) {
            return REFUND_RETURNED;
        }
        return REFUND;
    }
}
