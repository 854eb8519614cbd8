/**
 * Legacy text completions ({@code POST /v1/completions}) as an inbound wire format: the prompt is served through the
 * chat path as one user message, and answers and chunks are written in the {@code text_completion} shape.
 */
package dev.tollgate.inbound.completions;
