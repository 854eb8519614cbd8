/** Spend windows: plans of dollar limits per session, day, week and month, their state, and the credit headers' numbers. */
package dev.tollgate.windows;
