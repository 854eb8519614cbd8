/** Anthropic's Messages API ({@code POST /v1/messages}) as an inbound wire format: pure translators, no I/O. */
package dev.tollgate.inbound.anthropic;
