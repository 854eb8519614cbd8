/** Liveness and readiness: whether the store answers, and what is known of the upstreams. */
package dev.tollgate.health;
