/**
 * The web console under /console (customers) and /console/operator (the operator): server-rendered pages whose
 * controllers call the same services as the JSON API. ConsoleFilter holds the security model (sessions, CSRF
 * origin checks, CSP); docs/adr/0009-web-console.md says why it is built this way.
 */
package dev.tollgate.functions.web.console;
