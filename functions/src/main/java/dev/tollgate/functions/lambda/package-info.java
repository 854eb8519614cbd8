/**
 * AWS Lambda entry points, one jar for four functions: {@code api} and {@code stripe-webhook} (API Gateway
 * proxy handlers), {@code chat} (the Netty server behind Lambda Web Adapter, for streaming) and
 * {@code reconciler} (scheduled); plus SnapStart priming. docs/DEPLOY.md explains the topology.
 */
package dev.tollgate.functions.lambda;
