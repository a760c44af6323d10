/**
 * Admission control for requests: which jobs enter the bounded queue in front of the workers, which run and in what
 * order, and which are shed and why ({@link io.spillway.core.admission.AdmissionController},
 * {@link io.spillway.core.admission.ShedReason}); the measured drain rate behind Retry-After
 * ({@link io.spillway.core.admission.DrainRate}); and per-client token buckets
 * ({@link io.spillway.core.admission.RateLimiter}). Everything here decides from numbers and an injected clock; the
 * server's HTTP layer enforces it (503/429/504 with Retry-After, a worker pool).
 */
package io.spillway.core.admission;
