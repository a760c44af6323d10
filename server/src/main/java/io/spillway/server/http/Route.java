package io.spillway.server.http;

import io.spillway.core.admission.Priority;

/** The routes of the HTTP port; {@link #template} is what metrics label a request with (bounded, unlike paths). */
enum Route {
  PUBLISH("/v1/publish/{channel}", Priority.NORMAL, true),
  CHANNELS("/v1/channels", Priority.SHEDDABLE, false),
  CLIENTS("/v1/clients", Priority.SHEDDABLE, false),
  STATS("/v1/stats", Priority.CRITICAL, false),
  WEBSOCKET("/v1/ws", null, false),
  METRICS("/metrics", null, false),
  HEALTHZ("/healthz", null, false),
  READYZ("/readyz", null, false),
  OTHER("other", null, false);

  final String template;
  /** The class a request of this route is queued in without an X-Priority header; null: not admission-controlled. */
  final Priority defaultPriority;
  final boolean publish;

  Route(String template, Priority defaultPriority, boolean publish) {
    this.template = template;
    this.defaultPriority = defaultPriority;
    this.publish = publish;
  }

  boolean admitted() {
    return defaultPriority != null;
  }
}
