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
    /** A Stripe refund or lost dispute. */
    REFUND;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
