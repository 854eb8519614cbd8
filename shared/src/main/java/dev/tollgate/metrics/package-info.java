/**
 * What the gateway tells its operators while it works: one small hook ({@link dev.tollgate.metrics.Metrics}) that the
 * domain calls at the points where requests settle, upstreams answer and caches decide. The domain knows no metrics
 * library; the application plugs in Micrometer (the server's {@code /metrics}) or CloudWatch EMF (Lambda).
 */
package dev.tollgate.metrics;
