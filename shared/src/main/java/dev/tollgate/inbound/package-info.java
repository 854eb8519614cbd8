/**
 * Inbound wire formats other than OpenAI chat: pure translators at the edge that turn a client's request into the
 * one internal chat request and the chat path's results and stream frames back, so that limits, holds, the relay's
 * bound, settlement and the ledger never learn which format a request came in.
 */
package dev.tollgate.inbound;
