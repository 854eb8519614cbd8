package dev.tollgate.ledger;

/** Why a balance changed. */
public enum LedgerType {
    /** Credit granted by an operator (admin API or the local demo bootstrap). */
    ADMIN_CREDIT,
    /** Debit by an operator. */
    ADMIN_DEBIT,
    /** A paid request, settled. */
    CHARGE,
    /** A Stripe top-up. */
    TOPUP,
    /** A Stripe refund or dispute, or money they gave back (a failed refund, a dispute won). */
    REFUND;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
