/** Injected time: the clock every policy reads, and a manual clock for tests. */
package io.spillway.core.time;
