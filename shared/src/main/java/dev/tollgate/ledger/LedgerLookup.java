package dev.tollgate.ledger;

import java.util.Optional;

/** Port: one ledger entry by its idempotency key, e.g. to answer a repeated operator credit with the original. */
public interface LedgerLookup {

    Optional<LedgerEntry> find(String accountId, String entryId);
}
