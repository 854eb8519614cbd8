/**
 * Idempotent inference: an {@code Idempotency-Key} on a billed POST claims the key for the caller's account, ties it
 * to one request id (so billing's own once-only hold and settlement stop a second charge), and keeps the final answer
 * for a day so a retry gets it again instead of running and paying again.
 */
package dev.tollgate.idempotency;
