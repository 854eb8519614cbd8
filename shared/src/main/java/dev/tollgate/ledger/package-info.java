/** The ledger: every balance change with its idempotency key, summing to the balance. */
package dev.tollgate.ledger;
