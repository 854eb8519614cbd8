/** HTTP to upstreams: a lean pooled HTTP/1.1 client for plain-HTTP upstreams, the JDK client for TLS. */
package dev.tollgate.http;
