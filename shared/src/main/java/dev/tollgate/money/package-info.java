/** Money as integer micro-dollars, token prices per million tokens, and the single rounding rule. */
package dev.tollgate.money;
