/** The OpenAI-compatible upstream adapter (Ollama, vLLM, llama.cpp server, OpenAI, OpenRouter...). */
package dev.tollgate.upstream.openai;
