/** Wiring: Micronaut factories that build the domain services and stores from configuration. */
package dev.tollgate.functions.wiring;
