/** Auto top-up: an off-session Stripe payment started once per crossing of the account's threshold. */
package dev.tollgate.autotopup;
