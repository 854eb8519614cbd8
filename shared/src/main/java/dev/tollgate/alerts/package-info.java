/** Per-account alerts (low balance, key budgets, windows, failed top-ups) and their signed webhook deliveries. */
package dev.tollgate.alerts;
