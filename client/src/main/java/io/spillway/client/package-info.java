/**
 * A Java client for Spillway's HTTP publish API: {@link io.spillway.client.SpillwayClient}. It keeps a deadline per
 * call, retries only what is safe to retry within a {@link io.spillway.client.RetryBudget}, stops calling a failing
 * server with a {@link io.spillway.client.CircuitBreaker}, and may throttle itself adaptively. No dependency beyond
 * the JDK.
 */
package io.spillway.client;
