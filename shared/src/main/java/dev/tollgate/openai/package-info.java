/** OpenAI wire types: request bodies kept whole, validated only where Tollgate acts on them. */
package dev.tollgate.openai;
