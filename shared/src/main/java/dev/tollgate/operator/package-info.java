/** What the operator console reads across accounts: account search, last activity, and the deployment's health. */
package dev.tollgate.operator;
