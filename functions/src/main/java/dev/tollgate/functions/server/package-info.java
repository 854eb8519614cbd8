/** Tuning of the Netty server under Micronaut: handlers added to each connection's pipeline. */
package dev.tollgate.functions.server;
