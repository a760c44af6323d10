package io.spillway.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files, read from the jar once: the page and its script and style (resources beside this class,
 * under {@code dashboard/}) and uPlot's script and style from the uPlot WebJar. Nothing is fetched from elsewhere;
 * the page's Content-Security-Policy allows only this origin. Immutable.
 */
final class DashboardAssets {

  static final String PREFIX = "/dashboard/assets/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  /** Only same-origin scripts, styles, and connections (the event stream and the kill action); no framing. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private static final Map<String, ApiResponse> FILES = Map.of(
      "/dashboard",
      page(),
      PREFIX + "dashboard.js",
      asset("dashboard/dashboard.js", "text/javascript; charset=utf-8"),
      PREFIX + "dashboard.css",
      asset("dashboard/dashboard.css", "text/css; charset=utf-8"),
      PREFIX + "uPlot.iife.min.js",
      asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
      PREFIX + "uPlot.min.css",
      asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

  private DashboardAssets() {}

  /** The response for {@code path}, or null when there is no such file. */
  static ApiResponse get(String path) {
    return FILES.get(path);
  }

  private static ApiResponse page() {
    return asset("dashboard/index.html", "text/html; charset=utf-8")
        .withHeader("Content-Security-Policy", CSP)
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("Referrer-Policy", "no-referrer");
  }

  private static ApiResponse asset(String resource, String contentType) {
    try (InputStream in = DashboardAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "dashboard resource " + resource + " is missing from the class path");
      }
      return ApiResponse.text(HttpResponseStatus.OK, contentType, in.readAllBytes())
          .withHeader("Cache-Control", "no-cache")
          .withHeader("X-Content-Type-Options", "nosniff");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
