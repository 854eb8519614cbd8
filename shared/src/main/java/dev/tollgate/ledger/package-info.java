/**
 * The ledger: every balance change with its idempotency key, summing to the balance plus what open holds took out of
 * it; and the views read from it, the request log ({@link dev.tollgate.ledger.RequestLogService}) and the statement
 * ({@link dev.tollgate.ledger.StatementService}).
 */
package dev.tollgate.ledger;
