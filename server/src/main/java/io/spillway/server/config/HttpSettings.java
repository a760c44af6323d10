package io.spillway.server.config;

import static io.spillway.server.config.SettingType.BOOLEAN;
import static io.spillway.server.config.SettingType.BYTE_SIZE;
import static io.spillway.server.config.SettingType.DURATION;
import static io.spillway.server.config.SettingType.FRACTION;
import static io.spillway.server.config.SettingType.INTEGER;
import static io.spillway.server.config.SettingType.LIMIT_ALGORITHM;
import static io.spillway.server.config.SettingType.STRING;

import io.spillway.core.admission.AdmissionSettings;
import java.util.List;
import java.util.Map;

/** The rows of {@link Settings} for the HTTP port and its admission queue (all keys start with {@code http-}). */
final class HttpSettings {

  /** AdmissionSettings names a bad field in words; the keys that set them. */
  private static final Map<String, String> ADMISSION_KEYS = Map.ofEntries(
      Map.entry("queue capacity", "http-queue-capacity"),
      Map.entry("workers", "http-workers"),
      Map.entry("codel target", "http-codel-target"),
      Map.entry("codel interval", "http-codel-interval"),
      Map.entry("sheddable queue share", "http-sheddable-queue-share"),
      Map.entry("normal queue share", "http-normal-queue-share"),
      Map.entry("min limit", "http-min-limit"),
      Map.entry("max limit", "http-max-limit"),
      Map.entry("aimd timeout", "http-aimd-timeout"),
      Map.entry("retry after max", "http-retry-after-max"),
      Map.entry("assumed service time", "http-assumed-service-time"),
      Map.entry("burst allowance", "http-burst-allowance"),
      Map.entry("burst queue capacity", "http-burst-queue-capacity"));

  private HttpSettings() {}

  static void rows(List<Setting<?>> rows, ServerConfig d) {
    rows.add(Setting.of(
        "http-port",
        INTEGER,
        "TCP port of the HTTP API, WebSocket and /metrics; -1 turns it off, 0 picks a free one.",
        c -> c.http().port(),
        (x, v) -> x.http.port(v),
        d));
    rows.add(Setting.of(
            "http-tokens",
            STRING,
            "Comma-separated bearer tokens the API, WebSocket and publish accept, in place of requirepass; empty: requirepass"
                + " (if set) protects the HTTP port too.",
            c -> String.join(",", c.http().tokens()),
            (x, v) -> x.http.tokens(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
            "http-allowed-origins",
            STRING,
            "Comma-separated browser origins (scheme://host[:port], or *) that may publish, open a WebSocket and read"
                + " answers (CORS); requests without Origin are always allowed.",
            c -> String.join(",", c.http().allowedOrigins()),
            (x, v) -> x.http.allowedOrigins(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
        "http-max-connections",
        INTEGER,
        "Open HTTP and WebSocket connections beyond which a new one is answered 503 and closed.",
        c -> c.http().maxConnections(),
        (x, v) -> x.http.maxConnections(v),
        d));
    rows.add(Setting.of(
        "http-max-header-size",
        BYTE_SIZE,
        "Largest request line plus headers; more is answered 431.",
        c -> c.http().maxHeaderSize(),
        (x, v) -> x.http.maxHeaderSize(v),
        d));
    rows.add(Setting.of(
        "http-max-body-size",
        BYTE_SIZE,
        "Largest request body; more is answered 413 and the connection closed.",
        c -> c.http().maxBodySize(),
        (x, v) -> x.http.maxBodySize(v),
        d));
    rows.add(Setting.of(
        "http-request-timeout",
        DURATION,
        "Time from a request's first byte to its last; slower is answered 408 and closed (slowloris).",
        c -> c.http().requestTimeout(),
        (x, v) -> x.http.requestTimeout(v),
        d));
    rows.add(Setting.of(
        "http-idle-timeout",
        DURATION,
        "A keep-alive connection idle this long is closed.",
        c -> c.http().idleTimeout(),
        (x, v) -> x.http.idleTimeout(v),
        d));
    rows.add(Setting.of(
        "http-admission",
        BOOLEAN,
        "Admission control of API requests; off (for comparison runs only) puts an unbounded FIFO in front of the workers.",
        c -> c.http().admission(),
        (x, v) -> x.http.admission(v),
        d));
    rows.add(Setting.of(
            "http-workers",
            INTEGER,
            "Worker threads that run admitted API requests.",
            c -> c.admission().workers(),
            (x, v) -> x.admission.workers(v),
            d)
        .documentedDefault("2 x number of CPUs"));
    rows.add(Setting.of(
        "http-queue-capacity",
        INTEGER,
        "API requests that may wait for a worker while the queue is congested (missing deadlines; otherwise http-burst-queue-capacity); more get 503.",
        c -> c.admission().queueCapacity(),
        (x, v) -> x.admission.queueCapacity(v),
        d));
    rows.add(Setting.of(
        "http-burst-queue-capacity",
        INTEGER,
        "API requests that may wait for a worker while the queue meets its deadlines (a burst, a cold start; at least http-queue-capacity; default 1024 with the default http-queue-capacity, else that).",
        c -> c.admission().burstQueueCapacity(),
        (x, v) -> x.admission.burstQueueCapacity(v),
        d));
    rows.add(Setting.of(
        "http-burst-allowance",
        DURATION,
        "A queue that starts filling this soon after the server was idle is a burst: CoDel waits its drain time (at least this) before taking it for a standing queue.",
        c -> c.admission().burstAllowance(),
        (x, v) -> x.admission.burstAllowance(v),
        d));
    rows.add(Setting.of(
        "http-assumed-service-time",
        DURATION,
        "Run time of a request the wait estimate assumes until one has been measured (it refuses requests only once 32 have been).",
        c -> c.admission().assumedServiceTime(),
        (x, v) -> x.admission.assumedServiceTime(v),
        d));
    rows.add(Setting.of(
        "http-publish-deadline",
        DURATION,
        "Deadline of a publish without X-Request-Timeout-Ms.",
        c -> c.http().publishDeadline(),
        (x, v) -> x.http.publishDeadline(v),
        d));
    rows.add(Setting.of(
        "http-query-deadline",
        DURATION,
        "Deadline of GET /v1/channels, /v1/clients and /v1/stats without X-Request-Timeout-Ms.",
        c -> c.http().queryDeadline(),
        (x, v) -> x.http.queryDeadline(v),
        d));
    rows.add(Setting.of(
        "http-max-deadline",
        DURATION,
        "Longest deadline X-Request-Timeout-Ms may ask for.",
        c -> c.http().maxDeadline(),
        (x, v) -> x.http.maxDeadline(v),
        d));
    rows.add(Setting.of(
        "http-codel-target",
        DURATION,
        "CoDel: the wait a request may have in a congested queue before it is shed.",
        c -> c.admission().codelTarget(),
        (x, v) -> x.admission.codelTarget(v),
        d));
    rows.add(Setting.of(
        "http-codel-interval",
        DURATION,
        "CoDel: the queue is congested when it has not been empty for this long; also the wait allowed when not congested.",
        c -> c.admission().codelInterval(),
        (x, v) -> x.admission.codelInterval(v),
        d));
    rows.add(Setting.of(
        "http-sheddable-queue-share",
        FRACTION,
        "Sheddable requests are queued only while the queue is less full than this fraction.",
        c -> c.admission().sheddableQueueShare(),
        (x, v) -> x.admission.sheddableQueueShare(v),
        d));
    rows.add(Setting.of(
        "http-normal-queue-share",
        FRACTION,
        "Normal requests are queued only while the queue is less full than this fraction (critical: up to full).",
        c -> c.admission().normalQueueShare(),
        (x, v) -> x.admission.normalQueueShare(v),
        d));
    rows.add(Setting.of(
        "http-concurrency-limit",
        LIMIT_ALGORITHM,
        "Requests run at once: none (= http-workers), or adaptive: gradient2, vegas or aimd.",
        c -> c.admission().limitAlgorithm(),
        (x, v) -> x.admission.limitAlgorithm(v),
        d));
    rows.add(Setting.of(
        "http-min-limit",
        INTEGER,
        "Lowest value an adaptive concurrency limit may take.",
        c -> c.admission().minLimit(),
        (x, v) -> x.admission.minLimit(v),
        d));
    rows.add(Setting.of(
            "http-max-limit",
            INTEGER,
            "Highest value an adaptive concurrency limit may take.",
            c -> c.admission().maxLimit(),
            (x, v) -> x.admission.maxLimit(v),
            d)
        .documentedDefault("http-workers"));
    rows.add(Setting.of(
        "http-aimd-timeout",
        DURATION,
        "AIMD: a request running longer than this lowers the limit.",
        c -> c.admission().aimdTimeout(),
        (x, v) -> x.admission.aimdTimeout(v),
        d));
    rows.add(Setting.of(
        "http-retry-after-max",
        DURATION,
        "Largest Retry-After given.",
        c -> c.admission().retryAfterMax(),
        (x, v) -> x.admission.retryAfterMax(v),
        d));
    rows.add(Setting.of(
        "http-rate-limit",
        INTEGER,
        "Requests per second each client (token, else address) may make to /v1; over it: 429. 0 turns it off.",
        c -> c.http().rateLimit(),
        (x, v) -> x.http.rateLimit(v),
        d));
    rows.add(Setting.of(
        "http-rate-burst",
        INTEGER,
        "Requests a rested client may make at once; 0 means the rate.",
        c -> c.http().rateBurst(),
        (x, v) -> x.http.rateBurst(v),
        d));
  }

  static AdmissionSettings buildAdmission(AdmissionSettings.Builder admission) {
    try {
      return admission.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      for (Map.Entry<String, String> field : ADMISSION_KEYS.entrySet()) {
        if (message.startsWith(field.getKey() + " ")) {
          throw new ConfigException(
              field.getValue() + message.substring(field.getKey().length()), e);
        }
      }
      throw new ConfigException("http admission: " + message, e);
    }
  }
}
