/** API keys: secrets, hashes, roles, limits, and the key store port. */
package dev.tollgate.keys;
