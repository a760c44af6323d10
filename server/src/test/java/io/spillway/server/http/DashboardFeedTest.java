package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.spillway.core.time.ManualClock;
import io.spillway.server.TestBrokers;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.metrics.ServerStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard feed's bounds, on embedded channels and a manual clock: a viewer that stops reading gets nothing
 * more and is closed once stalled too long; viewers beyond the cap are refused.
 */
class DashboardFeedTest {

  private final ManualClock clock = new ManualClock();
  private final EmbeddedChannel viewer = new EmbeddedChannel();
  private DashboardFeed feed;

  @AfterEach
  void close() {
    if (feed != null) {
      feed.close();
    }
    viewer.finishAndReleaseAll();
  }

  private DashboardFeed feed() {
    IoLoop[] loops = TestBrokers.loops(viewer.eventLoop());
    ServerStats stats = new ServerStats();
    ApiRoutes routes = new ApiRoutes(
        TestBrokers.broker(loops, stats),
        new ClientRegistry(10),
        stats,
        loops,
        loop -> loops[0],
        clock);
    feed = new DashboardFeed(routes, clock, 123_456, null);
    return feed;
  }

  private int eventsWritten() {
    int n = 0;
    for (Object msg; (msg = viewer.readOutbound()) != null; ) {
      ByteBuf content = ((HttpContent) msg).content();
      assertThat(content.toString(StandardCharsets.UTF_8))
          .startsWith("event: snapshot\ndata: {")
          .contains("\"output_budget_bytes\":123456")
          .endsWith("}\n\n");
      content.release();
      n++;
    }
    return n;
  }

  @Test
  void aViewerGetsASnapshotAtOnceAndOneEachTick() {
    DashboardFeed f = feed();
    assertThat(f.tryReserve()).isTrue();
    f.add(viewer);
    assertThat(eventsWritten()).isEqualTo(1);
    f.tick();
    f.tick();
    assertThat(eventsWritten()).isEqualTo(2);
  }

  @Test
  void aViewerThatStopsReadingIsSkippedThenClosedWhenStalled() {
    DashboardFeed f = feed();
    f.tryReserve();
    f.add(viewer);
    eventsWritten();
    viewer.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    f.tick();
    clock.advance(Duration.ofSeconds(10));
    f.tick();
    assertThat(eventsWritten())
        .as("nothing is queued for a viewer that is not writable")
        .isZero();
    assertThat(viewer.isOpen()).isTrue();
    clock.advance(Duration.ofSeconds(6));
    f.tick();
    assertThat(viewer.isOpen()).as("closed after 15 s without room").isFalse();
    assertThat(f.viewers()).isZero();
    assertThat(f.tryReserve()).as("its slot is free again").isTrue();
  }

  @Test
  void viewersBeyondTheCapAreRefused() {
    DashboardFeed f = feed();
    for (int i = 0; i < DashboardFeed.MAX_VIEWERS; i++) {
      assertThat(f.tryReserve()).isTrue();
    }
    assertThat(f.tryReserve()).isFalse();
    f.release();
    assertThat(f.tryReserve()).isTrue();
  }
}
