/** Metering: token counting with a real tokenizer and token usage as reported or counted. */
package dev.tollgate.metering;
