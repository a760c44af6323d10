package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.spillway.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shard's scheduling and accounting, driven by a manual clock over embedded channels (no socket, no timer). */
class LoadShardTest {

  private static final long MS = 1_000_000L;

  private final ManualClock clock = new ManualClock(0);
  // The shard's own loop never runs its tasks here: the test calls tick() itself.
  private final EmbeddedChannel idleLoop = new EmbeddedChannel();
  private final List<EmbeddedChannel> connections = new ArrayList<>();

  @AfterEach
  void closeChannels() {
    connections.forEach(ch -> {
      for (Object o; (o = ch.readOutbound()) != null; ) {
        ((FullHttpRequest) o).release();
      }
      ch.finishAndReleaseAll();
    });
    idleLoop.finishAndReleaseAll();
  }

  private LoadShard shard(long deadlineMillis, int backlog, int connectionCount) {
    LoadShard shard =
        new LoadShard(idleLoop.eventLoop(), clock::nanoTime, deadlineMillis * MS, backlog);
    for (int i = 0; i < connectionCount; i++) {
      connections.add(new EmbeddedChannel(
          new HttpConnectionHandler(shard, "127.0.0.1:1", "/v1/publish/c", new byte[] {'x'})));
    }
    return shard;
  }

  private FullHttpRequest sentOn(int connection) {
    return connections.get(connection).readOutbound();
  }

  private void respond(int connection, HttpResponseStatus status, String shedReason) {
    FullHttpResponse r = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        status,
        Unpooled.copiedBuffer("{\"receivers\":3}", StandardCharsets.UTF_8));
    if (shedReason != null) {
      r.headers().set(ResponseOutcome.SHED_HEADER, shedReason);
    }
    connections.get(connection).writeInbound(r);
  }

  private void advanceMillis(long ms) {
    clock.advance(Duration.ofMillis(ms));
  }

  @Test
  void measuresLatencyFromTheIntendedSendTimeIncludingTheWaitForAConnection() {
    LoadShard shard = shard(1_000, 100, 1);
    shard.startOpenLoop(new LoadWindow(0, 0, 1_000 * MS), 10); // one every 100 ms
    shard.tick();
    sentOn(0).release();

    advanceMillis(
        250); // requests 1 (due at 100 ms) and 2 (200 ms) wait: the only connection is busy
    shard.tick();
    respond(0, HttpResponseStatus.OK, null); // request 0 answered 250 ms after its intended time
    FullHttpRequest second = sentOn(0);
    assertThat(second.headers().get(HttpConnectionHandler.TIMEOUT_HEADER))
        .as("what is left of request 1's deadline")
        .isEqualTo("850");
    second.release();
    advanceMillis(50);
    respond(0, HttpResponseStatus.OK, null); // request 1: intended at 100 ms, answered at 300 ms

    RequestTally t = shard.finish();
    assertThat(t.ok).isEqualTo(2);
    assertThat(t.admitted().getMinValue()).isBetween(199 * MS, 201 * MS);
    assertThat(t.admitted().getMaxValue()).isBetween(249 * MS, 251 * MS);
    assertThat(t.receiversMax).isEqualTo(3);
  }

  @Test
  void dropsDueRequestsBeyondTheClientBacklogAndCountsThem() {
    LoadShard shard = shard(10_000, 2, 1);
    shard.startOpenLoop(new LoadWindow(0, 0, 1_000 * MS), 10);

    advanceMillis(500); // 6 due: 1 sent, 2 wait, 3 dropped
    shard.tick();

    assertThat(shard.takeInterval().backlog()).isEqualTo(2);
    RequestTally t = shard.finish();
    assertThat(t.scheduled).isEqualTo(6);
    assertThat(t.sent).isEqualTo(1);
    assertThat(t.backlogDropped).isEqualTo(3);
    assertThat(t.expired).as("left in the backlog at the end").isEqualTo(2);
    assertThat(t.timeouts).as("left outstanding at the end").isEqualTo(1);
    assertThat(t.settled()).isEqualTo(t.scheduled);
  }

  @Test
  void givesUpOnRequestsWhoseDeadlinePassedWhileTheyWaited() {
    LoadShard shard = shard(150, 100, 1);
    shard.startOpenLoop(new LoadWindow(0, 0, 1_000 * MS), 10);
    shard.tick();
    sentOn(0).release();
    advanceMillis(300); // requests 1..3 due at 100, 200, 300 ms
    shard.tick();

    respond(0, HttpResponseStatus.OK, null); // 300 ms after its intended time: late
    // request 1 waited 200 ms > 150 ms: expired; request 2 waited 100 ms: sent with 50 ms left
    FullHttpRequest next = sentOn(0);
    assertThat(next.headers().get(HttpConnectionHandler.TIMEOUT_HEADER)).isEqualTo("50");
    next.release();
    respond(0, HttpResponseStatus.SERVICE_UNAVAILABLE, "queue_full");

    RequestTally t = shard.finish();
    assertThat(t.late).isEqualTo(1);
    assertThat(t.ok).isZero();
    assertThat(t.expired).isEqualTo(1 + 0); // request 1; request 3 was sent after the shed
    assertThat(t.shedByReason()).containsEntry("queue_full", 1L);
  }

  @Test
  void countsOnlyRequestsIntendedInsideTheMeasuredWindow() {
    LoadShard shard = shard(1_000, 100, 2);
    shard.startOpenLoop(
        new LoadWindow(0, 200 * MS, 400 * MS), 10); // warm-up 0..200, measured 200..400

    for (int step = 0; step <= 5; step++) {
      shard.tick();
      for (int c = 0; c < 2; c++) {
        FullHttpRequest r = sentOn(c);
        if (r != null) {
          r.release();
          respond(c, HttpResponseStatus.OK, null);
        }
      }
      advanceMillis(100);
    }

    RequestTally t = shard.finish();
    assertThat(t.scheduled).as("intended at 200 and 300 ms").isEqualTo(2);
    assertThat(t.ok).isEqualTo(2);
    assertThat(shard.drained()).isFalse(); // finished: idle again
  }

  @Test
  void keepsTheConcurrencyOfAClosedLoop() {
    LoadShard shard = shard(1_000, 100, 3);
    shard.startClosedLoop(new LoadWindow(0, 0, 1_000 * MS), 2);
    shard.tick();

    assertThat(shard.takeInterval().outstanding()).isEqualTo(2);
    int sent = 0;
    for (int c = 0; c < 3; c++) {
      FullHttpRequest r = sentOn(c);
      if (r != null) {
        sent++;
        r.release();
      }
    }
    assertThat(sent).isEqualTo(2);
  }
}
