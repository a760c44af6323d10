package io.spillway.server.http;

import io.spillway.core.admission.Priority;

/** The routes of the HTTP port; {@link #template} is what metrics label a request with (bounded, unlike paths). */
enum Route {
  PUBLISH("/v1/publish/{channel}", Priority.NORMAL),
  CHANNELS("/v1/channels", Priority.SHEDDABLE),
  CLIENTS("/v1/clients", Priority.SHEDDABLE),
  STATS("/v1/stats", Priority.CRITICAL),
  WEBSOCKET("/v1/ws", null),
  DASHBOARD("/dashboard", null),
  DASHBOARD_EVENTS("/v1/dashboard/events", null),
  CLIENT_KILL("/v1/clients/{id}/kill", null),
  METRICS("/metrics", null),
  HEALTHZ("/healthz", null),
  READYZ("/readyz", null),
  OTHER("other", null);

  final String template;
  /** The class a request of this route is queued in without an X-Priority header; null: not admission-controlled. */
  final Priority defaultPriority;

  Route(String template, Priority defaultPriority) {
    this.template = template;
    this.defaultPriority = defaultPriority;
  }
}
