/**
 * The metrics of a long-lived server (local, container): the domain's {@link dev.tollgate.metrics.Metrics} hook as
 * Micrometer meters, read as Prometheus text at {@code GET /metrics}. Lambda writes the same names as EMF instead
 * ({@code dev.tollgate.functions.lambda.EmfRecorder}).
 */
package dev.tollgate.functions.metrics;
