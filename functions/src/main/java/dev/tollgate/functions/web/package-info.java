/** HTTP layer: thin controllers, auth filters and the mapping of every error to the OpenAI envelope. */
package dev.tollgate.functions.web;
