/**
 * Auto routing's decisions, pure and without I/O: what a chat request shows ({@link dev.tollgate.routing.RequestSignals}),
 * the matchers the catalog's rules name, and the choice among the models a caller may use ({@link dev.tollgate.routing.AutoRouter}).
 */
package dev.tollgate.routing;
