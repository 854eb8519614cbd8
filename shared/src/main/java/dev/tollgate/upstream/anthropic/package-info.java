/**
 * Anthropic's native Messages API as an upstream: pure translators in both directions and a thin HTTP provider.
 */
package dev.tollgate.upstream.anthropic;
