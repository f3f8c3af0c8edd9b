/**
 * How Tastemaker stays up when what it depends on does not: a {@link io.tastemaker.resilience.Deadline}
 * per request that calls are cut to, and a {@link io.tastemaker.resilience.CircuitBreaker} per
 * dependency that stops calling it while it fails. Plain Java, imported by any capability.
 */
package io.tastemaker.resilience;
