/**
 * What the gateway tells operators about each request: the ports for traces (a request's trace and one span per
 * upstream attempt) and the per-request context its log line is made from. No tracing SDK here: the application
 * wires an implementation, and without one everything is a no-op that allocates nothing per attempt.
 */
package dev.tollgate.telemetry;
