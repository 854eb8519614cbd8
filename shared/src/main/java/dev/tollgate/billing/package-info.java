/** Billing: holds before the upstream call, exactly-once settlement after it, and the balance store port. */
package dev.tollgate.billing;
