/**
 * The HTTP port: the JSON API ({@code /v1/...}), health and readiness, Prometheus metrics and the WebSocket upgrade,
 * on Netty's HTTP codec, with every API request passed through the admission controller of
 * {@code io.spillway.core.admission} before a worker runs it.
 */
package io.spillway.server.http;
