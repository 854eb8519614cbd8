/**
 * In-process sentence embeddings: an ONNX model and its HuggingFace tokenizer, both loaded from a jar on
 * the classpath (no download, no external service), run with ONNX Runtime in batches with mean pooling.
 */
package dev.tollgate.upstream.onnx;
