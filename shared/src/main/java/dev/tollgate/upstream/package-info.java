/** Upstreams: the narrow provider interface, settings, SSE reading and failure kinds. */
package dev.tollgate.upstream;
