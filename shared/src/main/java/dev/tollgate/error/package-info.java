/** Errors as the caller sees them: codes, statuses and the OpenAI error envelope. */
package dev.tollgate.error;
