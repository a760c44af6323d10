/**
 * Publisher pushback: when a publisher must stop being read so that what it has already published can be delivered
 * ({@link io.spillway.core.flow.BacklogPolicy}), and the account of those pauses ({@link
 * io.spillway.core.flow.PauseTally}). Decisions from numbers and a clock; the server enforces them.
 */
package io.spillway.core.flow;
