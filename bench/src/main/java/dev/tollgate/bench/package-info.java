/** Benchmarks: JMH microbenchmarks of the hot path and the fast fake upstream for load runs. */
package dev.tollgate.bench;
