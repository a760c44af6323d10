/**
 * The HTTP port: the JSON API ({@code /v1/...}), health and readiness, Prometheus metrics, the WebSocket upgrade and
 * the operator's dashboard (page, Server-Sent Events feed, kill action: the {@code Dashboard*} classes), on Netty's
 * HTTP codec, with every API request passed through the admission controller of
 * {@code io.spillway.core.admission} before a worker runs it.
 */
package io.spillway.server.http;
