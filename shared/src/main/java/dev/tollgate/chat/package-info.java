/** The chat completion use case: resolve, hold, call, meter, settle; buffered and streamed. */
package dev.tollgate.chat;
