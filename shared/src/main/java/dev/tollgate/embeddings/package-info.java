/**
 * POST /v1/embeddings: validate → resolve the model → count tokens → charge → embed → respond.
 *
 * <p>Two billing paths. An in-process model's tokens are counted with the model's own tokenizer before it
 * runs, so the exact cost is known up front and is charged with one conditional write (no hold); if the
 * model then fails, the charge is reversed. An upstream model's usage is known only from its answer, so it
 * takes the chat path: hold the estimated cost, call, settle the reported usage.
 *
 * <p>Inputs longer than the model's {@code max_input_tokens} are refused with a 400 naming the input, as
 * OpenAI does, never truncated: a silently truncated input is embedded (and billed) on text the caller did
 * not choose. Embedding models have no fallbacks: another model's vectors live in a different space.
 */
package dev.tollgate.embeddings;
