/**
 * Traces and request log lines: the OpenTelemetry implementation of the domain's tracing ports (built only when
 * {@code tollgate.tracing.enabled}), the filter that gives every {@code /v1} request its context, and the JSON
 * layout of the logs.
 */
package dev.tollgate.functions.telemetry;
