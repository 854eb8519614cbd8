/** Configuration: the only place Tollgate reads properties and the environment. */
package dev.tollgate.functions.config;
