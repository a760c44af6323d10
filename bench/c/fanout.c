/*
 * spillway-fanout-c: the fan-out measurement of `spillway bench fanout` (one publisher pipelining PUBLISH on one
 * channel, N subscribers checking every message's sequence and latency), on one thread with epoll, in C.
 *
 * Why C, beside the Java bench: on a 2-core machine the load generator shares the cores with the server it
 * measures. The Java load generator spends about one core to read 6 M messages/s, so past that point it measures
 * itself and both servers' figures are lower bounds (redis-server, single-threaded, is rarely held back; Spillway
 * is). This one reads a message for about 60 % of that CPU (0.09 against 0.15 us, measured side by side). Neither
 * redis-benchmark nor memtier_benchmark can measure a pub/sub fan-out (they publish, but nothing subscribes), hence
 * a program of our own; it does only what the Java bench does, with the same definitions, and CFanoutWireTest
 * checks its counts against a real Spillway server and a relay that loses and reorders known messages.
 *
 * Definitions (as the Java bench's): publishing runs flat out, at most --pipeline PUBLISHes without a reply, for
 * --warmup then --duration; the measured window is the --duration part. delivered_per_s counts messages received in
 * the window; latency is from the publisher's send (stamped into the payload) to the subscriber's read, for
 * messages sent in the window; lost counts, over the whole run, deliveries expected (published x subscribers)
 * less those received, in order or not (after a drain of at most 2 s); out_of_order counts a sequence number
 * lower than one already seen.
 *
 * Output: one JSON object on stdout. Exit 0 after a run (losses included), 1 when the run could not be made
 * (connection refused, subscription refused), 2 on bad options.
 *
 * Build: gcc -O2 -o spillway-fanout-c bench/c/fanout.c (scripts/bench-vs-redis.sh --loadgen c does it).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_BYTES (256 * 1024)
#define DRAIN_NANOS 2000000000LL
#define SETUP_NANOS 20000000000LL
#define PUBLISHER_TAG (-1)

/* Latency histogram: log-linear, 2^SUB_BITS buckets per power of two (values within 0.8 %). */
#define SUB_BITS 8
#define SUB_COUNT (1 << SUB_BITS)
#define HALF_COUNT (SUB_COUNT / 2)
#define BUCKETS (64 * HALF_COUNT + SUB_COUNT)

static uint64_t histogram[BUCKETS];
static uint64_t histogram_count;
static uint64_t histogram_max;

static int bucket_of(uint64_t v) {
  if (v < SUB_COUNT) {
    return (int)v;
  }
  int shift = 63 - __builtin_clzll(v) - (SUB_BITS - 1);
  return shift * HALF_COUNT + (int)(v >> shift);
}

/* The highest value a bucket holds: what a percentile reports, as HdrHistogram does. */
static uint64_t bucket_high(int b) {
  if (b < SUB_COUNT) {
    return (uint64_t)b;
  }
  int shift = b / HALF_COUNT - 1;
  uint64_t sub = (uint64_t)(b - shift * HALF_COUNT);
  return ((sub + 1) << shift) - 1;
}

static void record(uint64_t v) {
  histogram[bucket_of(v)]++;
  histogram_count++;
  if (v > histogram_max) {
    histogram_max = v;
  }
}

static double percentile_ms(double p) {
  if (histogram_count == 0) {
    return -1;
  }
  uint64_t rank = (uint64_t)(p * (double)histogram_count + 0.999999);
  if (rank < 1) {
    rank = 1;
  }
  uint64_t seen = 0;
  for (int b = 0; b < BUCKETS; b++) {
    seen += histogram[b];
    if (seen >= rank) {
      uint64_t v = bucket_high(b);
      return (double)(v < histogram_max ? v : histogram_max) / 1e6;
    }
  }
  return (double)histogram_max / 1e6;
}

struct subscriber {
  int fd;
  int closed;
  int subscribed;
  size_t carry_len;
  uint64_t next_seq;
  uint64_t received;
  uint64_t out_of_order;
  unsigned char *carry;
};

static struct {
  const char *host;
  int port;
  int subscribers;
  int payload;
  int pipeline;
  long long warmup_nanos;
  long long duration_nanos;
  const char *channel;
  const char *label;
  int server_pid;
} opt = {"127.0.0.1", 6379, 100, 128, 64, 2000000000LL, 10000000000LL, "spillway-bench:0", "target", 0};

static int64_t now_nanos(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "spillway-fanout-c: %s\n", what);
  exit(1);
}

static long long parse_duration(const char *s) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || v < 0) {
    return -1;
  }
  if (strcmp(end, "ms") == 0) {
    return (long long)(v * 1e6);
  }
  if (strcmp(end, "s") == 0 || *end == '\0') {
    return (long long)(v * 1e9);
  }
  if (strcmp(end, "m") == 0) {
    return (long long)(v * 60e9);
  }
  return -1;
}

static void usage(void) {
  fprintf(stderr,
      "usage: spillway-fanout-c [--host 127.0.0.1] [--port 6379] [--subscribers 100] [--payload 128]\n"
      "         [--pipeline 64] [--warmup 2s] [--duration 10s] [--channel NAME] [--label NAME]\n"
      "         [--server-pid PID] [--publishers 1] [--channels 1]\n");
}

static void parse_options(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i];
    if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
      usage();
      exit(0);
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "spillway-fanout-c: %s needs a value\n", o);
      usage();
      exit(2);
    }
    const char *v = argv[++i];
    if (strcmp(o, "--host") == 0) {
      opt.host = v;
    } else if (strcmp(o, "--port") == 0) {
      opt.port = atoi(v);
    } else if (strcmp(o, "--subscribers") == 0) {
      opt.subscribers = atoi(v);
    } else if (strcmp(o, "--payload") == 0) {
      opt.payload = atoi(v);
    } else if (strcmp(o, "--pipeline") == 0) {
      opt.pipeline = atoi(v);
    } else if (strcmp(o, "--warmup") == 0) {
      opt.warmup_nanos = parse_duration(v);
    } else if (strcmp(o, "--duration") == 0) {
      opt.duration_nanos = parse_duration(v);
    } else if (strcmp(o, "--channel") == 0) {
      opt.channel = v;
    } else if (strcmp(o, "--label") == 0) {
      opt.label = v;
    } else if (strcmp(o, "--server-pid") == 0) {
      opt.server_pid = atoi(v);
    } else if (strcmp(o, "--publishers") == 0 || strcmp(o, "--channels") == 0) {
      if (atoi(v) != 1) {
        fprintf(stderr, "spillway-fanout-c: only %s 1 (use the Java bench for more)\n", o);
        exit(2);
      }
    } else {
      fprintf(stderr, "spillway-fanout-c: unknown option %s\n", o);
      usage();
      exit(2);
    }
  }
  if (opt.port <= 0 || opt.subscribers < 1 || opt.payload < 16 || opt.pipeline < 1
      || opt.warmup_nanos < 0 || opt.duration_nanos <= 0 || strlen(opt.channel) == 0) {
    fprintf(stderr,
        "spillway-fanout-c: need --port > 0, --subscribers >= 1, --payload >= 16 (the header),"
        " --pipeline >= 1, a duration > 0 and a channel name\n");
    exit(2);
  }
}

static int connect_to(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    die("socket() failed (too many open files?)");
  }
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)opt.port);
  if (inet_pton(AF_INET, opt.host, &a.sin_addr) != 1) {
    die("--host must be an IPv4 address");
  }
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    fprintf(stderr, "spillway-fanout-c: connect to %s:%d: %s\n", opt.host, opt.port, strerror(errno));
    exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      die("write failed during set-up");
    }
    p += n;
    len -= (size_t)n;
  }
}

static void set_nonblocking(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* CPU seconds of a process from /proc/PID/stat (utime + stime), or -1. */
static double process_cpu_seconds(int pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    return -1;
  }
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *p = strrchr(buf, ')'); /* the command name may hold spaces */
  if (p == NULL) {
    return -1;
  }
  unsigned long utime = 0, stime = 0;
  /* after ") ": state(3) ... utime is field 14, stime 15 */
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) {
    return -1;
  }
  return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_seconds(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec
      + u.ru_stime.tv_usec / 1e6;
}

/* Busy seconds of the whole machine (all CPUs) from /proc/stat, or -1. */
static double machine_busy_seconds(void) {
  FILE *f = fopen("/proc/stat", "r");
  if (f == NULL) {
    return -1;
  }
  unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
  int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle, &iowait,
      &irq, &softirq, &steal);
  fclose(f);
  if (n != 8) {
    return -1;
  }
  return (double)(user + nice + sys + irq + softirq + steal) / (double)sysconf(_SC_CLK_TCK);
}

static double process_rss_mib(int pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/statm", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    return -1;
  }
  unsigned long size = 0, resident = 0;
  int n = fscanf(f, "%lu %lu", &size, &resident);
  fclose(f);
  return n == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0) : -1;
}

int main(int argc, char **argv) {
  parse_options(argc, argv);
  signal(SIGPIPE, SIG_IGN); /* a closed connection is an error to report, not a silent death */

  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < (rlim_t)opt.subscribers + 64) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  const size_t channel_len = strlen(opt.channel);
  /* What each subscriber must receive, byte for byte, before the payload and after it. */
  char prefix[512];
  int prefix_len = snprintf(prefix, sizeof prefix, "*3\r\n$7\r\nmessage\r\n$%zu\r\n%s\r\n$%d\r\n", channel_len,
      opt.channel, opt.payload);
  if (prefix_len >= (int)sizeof prefix) {
    die("--channel is too long");
  }
  const size_t frame_len = (size_t)prefix_len + (size_t)opt.payload + 2;
  char confirm[512];
  int confirm_len =
      snprintf(confirm, sizeof confirm, "*3\r\n$9\r\nsubscribe\r\n$%zu\r\n%s\r\n:1\r\n", channel_len, opt.channel);

  /* The publisher's frame; its payload's first 16 bytes (sequence, send time) are written per message. */
  char head[512];
  int head_len =
      snprintf(head, sizeof head, "*3\r\n$7\r\nPUBLISH\r\n$%zu\r\n%s\r\n$%d\r\n", channel_len, opt.channel, opt.payload);
  const size_t publish_len = (size_t)head_len + (size_t)opt.payload + 2;
  unsigned char *wbuf = malloc(publish_len * (size_t)opt.pipeline);
  for (int i = 0; i < opt.pipeline; i++) {
    unsigned char *f = wbuf + (size_t)i * publish_len;
    memcpy(f, head, (size_t)head_len);
    memset(f + head_len, 'x', (size_t)opt.payload);
    f[publish_len - 2] = '\r';
    f[publish_len - 1] = '\n';
  }

  int ep = epoll_create1(0);
  struct subscriber *subs = calloc((size_t)opt.subscribers, sizeof *subs);
  unsigned char *rbuf = malloc(READ_BYTES + frame_len + sizeof confirm);
  char cmd[600];
  int cmd_len = snprintf(cmd, sizeof cmd, "*2\r\n$9\r\nSUBSCRIBE\r\n$%zu\r\n%s\r\n", channel_len, opt.channel);

  for (int i = 0; i < opt.subscribers; i++) {
    struct subscriber *s = &subs[i];
    s->fd = connect_to();
    s->carry = malloc(frame_len > (size_t)confirm_len ? frame_len : (size_t)confirm_len);
    write_all(s->fd, cmd, (size_t)cmd_len);
    set_nonblocking(s->fd);
    struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &e);
  }

  /* Set-up: every subscriber's confirmation, exactly. */
  struct epoll_event events[1024];
  int confirmed = 0;
  int64_t setup_end = now_nanos() + SETUP_NANOS;
  while (confirmed < opt.subscribers) {
    if (now_nanos() > setup_end) {
      fprintf(stderr, "spillway-fanout-c: %d of %d subscriptions confirmed within 20 s\n", confirmed,
          opt.subscribers);
      return 1;
    }
    int n = epoll_wait(ep, events, 1024, 100);
    for (int k = 0; k < n; k++) {
      struct subscriber *s = &subs[events[k].data.u32];
      ssize_t r = read(s->fd, s->carry + s->carry_len, (size_t)confirm_len - s->carry_len);
      if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
          continue;
        }
        fprintf(stderr, "spillway-fanout-c: subscriber %ld: connection closed during SUBSCRIBE\n",
            (long)(s - subs));
        return 1;
      }
      s->carry_len += (size_t)r;
      if (s->carry[0] != '*') {
        s->carry[s->carry_len] = '\0';
        fprintf(stderr, "spillway-fanout-c: subscriber %ld: SUBSCRIBE refused: %.*s\n", (long)(s - subs),
            (int)s->carry_len, (char *)s->carry);
        return 1;
      }
      if (s->carry_len == (size_t)confirm_len) {
        if (memcmp(s->carry, confirm, (size_t)confirm_len) != 0) {
          die("unexpected reply to SUBSCRIBE (RESP2 expected)");
        }
        s->subscribed = 1;
        s->carry_len = 0;
        confirmed++;
      }
    }
  }

  int pub = connect_to();
  set_nonblocking(pub);
  struct epoll_event pe = {.events = EPOLLIN, .data.u32 = (uint32_t)PUBLISHER_TAG};
  epoll_ctl(ep, EPOLL_CTL_ADD, pub, &pe);

  uint64_t published = 0, published_in_window = 0, acked = 0, mismatches = 0, publish_errors = 0;
  uint64_t delivered_in_window = 0, disconnects = 0, bad_frames = 0;
  size_t pending_off = 0, pending_len = 0; /* unwritten publisher bytes in wbuf */
  int want_out = 0;
  char reply_carry[64];
  size_t reply_carry_len = 0;

  const int64_t start = now_nanos();
  const int64_t window_start = start + opt.warmup_nanos;
  const int64_t window_end = window_start + opt.duration_nanos;
  int64_t drain_end = 0;
  int in_window = 0;
  double cpu0 = 0, server0 = 0, machine0 = 0, cpu1 = 0, server1 = 0, machine1 = 0, server_rss = -1;

  for (;;) {
    int64_t now = now_nanos();
    if (!in_window && now >= window_start) {
      in_window = 1;
      cpu0 = self_cpu_seconds();
      machine0 = machine_busy_seconds();
      server0 = opt.server_pid > 0 ? process_cpu_seconds(opt.server_pid) : -1;
    }
    if (in_window == 1 && now >= window_end) {
      in_window = 2;
      cpu1 = self_cpu_seconds();
      machine1 = machine_busy_seconds();
      server1 = opt.server_pid > 0 ? process_cpu_seconds(opt.server_pid) : -1;
      server_rss = opt.server_pid > 0 ? process_rss_mib(opt.server_pid) : -1;
      drain_end = now + DRAIN_NANOS;
    }
    if (in_window == 2) {
      int done = acked + publish_errors == published;
      for (int i = 0; done && i < opt.subscribers; i++) {
        done = subs[i].closed || subs[i].next_seq >= published;
      }
      if (done || now >= drain_end) {
        break;
      }
    }
    /* Flat out: fill the pipeline window while publishing lasts and nothing is left unwritten. */
    uint64_t inflight = published - acked - publish_errors;
    if (in_window < 2 && pending_len == 0 && inflight < (uint64_t)opt.pipeline) {
      int room = opt.pipeline - (int)inflight;
      for (int i = 0; i < room; i++) {
        unsigned char *f = wbuf + (size_t)i * publish_len + head_len;
        uint64_t seq = published++;
        memcpy(f, &seq, 8);
        memcpy(f + 8, &now, 8);
      }
      if (now >= window_start) {
        published_in_window += (uint64_t)room;
      }
      pending_off = 0;
      pending_len = (size_t)room * publish_len;
    }
    if (pending_len > 0) {
      ssize_t w = write(pub, wbuf + pending_off, pending_len);
      if (w > 0) {
        pending_off += (size_t)w;
        pending_len -= (size_t)w;
      } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        die("the publisher's connection failed");
      }
      int need_out = pending_len > 0;
      if (need_out != want_out) {
        struct epoll_event e = {.events = EPOLLIN | (need_out ? EPOLLOUT : 0), .data.u32 = (uint32_t)PUBLISHER_TAG};
        epoll_ctl(ep, EPOLL_CTL_MOD, pub, &e);
        want_out = need_out;
      }
    }

    int n = epoll_wait(ep, events, 1024, 1);
    for (int k = 0; k < n; k++) {
      uint32_t tag = events[k].data.u32;
      if (tag == (uint32_t)PUBLISHER_TAG) {
        if (!(events[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) {
          continue; /* writable: the loop's next turn writes */
        }
        memcpy(rbuf, reply_carry, reply_carry_len);
        ssize_t r = read(pub, rbuf + reply_carry_len, READ_BYTES);
        if (r <= 0) {
          if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
            continue;
          }
          die("the server closed the publisher's connection");
        }
        size_t len = reply_carry_len + (size_t)r, p = 0;
        for (;;) {
          unsigned char *eol = memchr(rbuf + p, '\n', len - p);
          if (eol == NULL) {
            break;
          }
          size_t line_end = (size_t)(eol - rbuf) + 1;
          if (rbuf[p] == ':') {
            long v = strtol((char *)rbuf + p + 1, NULL, 10);
            acked++;
            if (v != opt.subscribers) {
              mismatches++;
            }
          } else {
            publish_errors++;
          }
          p = line_end;
        }
        reply_carry_len = len - p;
        if (reply_carry_len > sizeof reply_carry) {
          die("a reply to PUBLISH longer than 64 bytes");
        }
        memmove(reply_carry, rbuf + p, reply_carry_len);
        continue;
      }
      struct subscriber *s = &subs[tag];
      memcpy(rbuf, s->carry, s->carry_len);
      ssize_t r = read(s->fd, rbuf + s->carry_len, READ_BYTES);
      if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
          continue;
        }
        s->closed = 1;
        disconnects++;
        epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
        close(s->fd);
        continue;
      }
      int64_t received_at = now_nanos();
      int measures = received_at >= window_start && received_at < window_end;
      size_t len = s->carry_len + (size_t)r;
      unsigned char *p = rbuf, *end = rbuf + len;
      while ((size_t)(end - p) >= frame_len) {
        if (memcmp(p, prefix, (size_t)prefix_len) != 0 || p[frame_len - 2] != '\r' || p[frame_len - 1] != '\n') {
          bad_frames++;
          s->closed = 1;
          disconnects++;
          epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
          close(s->fd);
          break;
        }
        uint64_t seq;
        int64_t sent;
        memcpy(&seq, p + prefix_len, 8);
        memcpy(&sent, p + prefix_len + 8, 8);
        if (seq >= s->next_seq) {
          s->next_seq = seq + 1;
        } else {
          s->out_of_order++; /* a duplicate counts so too */
        }
        s->received++;
        if (measures) {
          delivered_in_window++;
        }
        if (sent >= window_start && sent < window_end) {
          record((uint64_t)(received_at > sent ? received_at - sent : 0));
        }
        p += frame_len;
      }
      if (!s->closed) {
        s->carry_len = (size_t)(end - p);
        memcpy(s->carry, p, s->carry_len);
      }
    }
  }

  uint64_t delivered = 0, out_of_order = 0;
  for (int i = 0; i < opt.subscribers; i++) {
    delivered += subs[i].received;
    out_of_order += subs[i].out_of_order;
  }
  uint64_t expected = published * (uint64_t)opt.subscribers;
  double seconds = (double)opt.duration_nanos / 1e9;
  double server_cpu = server0 >= 0 && server1 >= 0 ? server1 - server0 : -1;
  double self_cpu = cpu1 - cpu0;
  double machine = machine0 >= 0 && machine1 >= 0 ? machine1 - machine0 : -1;
  /* The machine's busy time less ours and the server's; sampled at different granularities, so clamped at 0. */
  double other = machine >= 0 && server_cpu >= 0 ? (machine - server_cpu - self_cpu) / seconds : -1;
  if (machine >= 0 && server_cpu >= 0 && other < 0) {
    other = 0;
  }
  printf("{\"label\":\"%s\",\"loadgen\":\"c\",\"subscribers\":%d,\"payload\":%d,\"pipeline\":%d,"
         "\"duration_s\":%.3f,\"published\":%llu,\"published_per_s\":%.1f,\"expected_deliveries\":%llu,"
         "\"delivered\":%llu,\"delivered_per_s\":%.1f,\"lost\":%llu,\"out_of_order\":%llu,"
         "\"receiver_mismatches\":%llu,\"publish_errors\":%llu,\"disconnects\":%llu,\"bad_frames\":%llu,"
         "\"latency_p50_ms\":%.3f,\"latency_p90_ms\":%.3f,\"latency_p99_ms\":%.3f,\"latency_p999_ms\":%.3f,"
         "\"latency_max_ms\":%.3f,\"server_cpu_s\":%.2f,\"server_cpu_cores\":%.3f,\"server_rss_mb\":%.1f,"
         "\"loadgen_cpu_s\":%.2f,\"loadgen_cpu_cores\":%.3f,\"machine_cpu_cores\":%.3f,\"other_cpu_cores\":%.3f}\n",
      opt.label, opt.subscribers, opt.payload, opt.pipeline, seconds, (unsigned long long)published,
      (double)published_in_window / seconds, (unsigned long long)expected, (unsigned long long)delivered,
      (double)delivered_in_window / seconds, (unsigned long long)(expected - delivered),
      (unsigned long long)out_of_order, (unsigned long long)mismatches, (unsigned long long)publish_errors,
      (unsigned long long)disconnects, (unsigned long long)bad_frames, percentile_ms(0.5), percentile_ms(0.9),
      percentile_ms(0.99), percentile_ms(0.999), (double)histogram_max / 1e6, server_cpu,
      server_cpu >= 0 ? server_cpu / seconds : -1, server_rss, self_cpu, self_cpu / seconds,
      machine >= 0 ? machine / seconds : -1,
      other);
  return 0;
}
