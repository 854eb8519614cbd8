/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as an inbound wire format: pure translators to and from the
 * internal chat request, and the port where stored conversations ({@code store}, {@code previous_response_id}) live.
 */
package dev.tollgate.inbound.responses;
