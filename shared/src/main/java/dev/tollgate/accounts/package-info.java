/** Accounts: the holders of prepaid balances, and the use cases that create them. */
package dev.tollgate.accounts;
