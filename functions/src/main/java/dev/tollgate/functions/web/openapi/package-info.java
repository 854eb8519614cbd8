/**
 * The OpenAPI description of the HTTP API: the document's header (title, servers, security schemes), the error
 * responses the controllers share, and the JSON shapes of bodies that the controllers read and write as raw bytes
 * (so that an OpenAI body passes through untouched) and that therefore have no Java type to derive a schema from.
 * Nothing here runs: Micronaut's OpenAPI annotation processor reads these types at compile time and writes
 * {@code META-INF/swagger/openapi.yml}, served at {@code GET /openapi.yaml}.
 */
package dev.tollgate.functions.web.openapi;
