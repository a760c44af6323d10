package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlowClientCutTrackerTest {

  private static final String BOTH = """
      id=3 addr=127.0.0.1:50000 laddr=127.0.0.1:6379 fd=8 name=slow-1 age=1 idle=0 flags=P
      id=4 addr=127.0.0.1:50002 laddr=127.0.0.1:6379 fd=9 name=slow-3 age=1 idle=0 flags=P
      id=5 addr=127.0.0.1:50004 laddr=127.0.0.1:6379 fd=10 name= age=1 idle=0 flags=N cmd=client|list
      """;
  private static final String ONLY_THREE = """
      id=4 addr=127.0.0.1:50002 laddr=127.0.0.1:6379 fd=9 name=slow-3 age=1 idle=0 flags=P\r
      id=5 addr=127.0.0.1:50004 laddr=127.0.0.1:6379 fd=10 name= age=1 idle=0 flags=N cmd=client|list\r
      """;

  @Test
  void parsesNamesAndSkipsUnnamedClients() {
    assertThat(ClientCutTracker.names(BOTH)).containsExactlyInAnyOrder("slow-1", "slow-3");
    assertThat(ClientCutTracker.names("")).isEmpty();
  }

  @Test
  void recordsTheFirstSnapshotWithoutAClientThatWasListed() {
    ClientCutTracker tracker = new ClientCutTracker(List.of("slow-1", "slow-3"));
    tracker.observe(100, BOTH);
    tracker.observe(200, ONLY_THREE);
    tracker.observe(300, "");

    assertThat(tracker.cutNanos("slow-1")).hasValue(200);
    assertThat(tracker.cutNanos("slow-3")).hasValue(300);
    assertThat(tracker.allCut()).isTrue();
  }

  @Test
  void doesNotCountAClientNeverListedAsCut() {
    ClientCutTracker tracker = new ClientCutTracker(List.of("slow-1", "slow-3"));
    tracker.observe(100, ONLY_THREE);
    tracker.observe(200, ONLY_THREE);

    assertThat(tracker.seen("slow-1")).isFalse();
    assertThat(tracker.cutNanos("slow-1")).isEmpty();
    assertThat(tracker.cutNanos("slow-3")).isEmpty();
    assertThat(tracker.allCut()).isFalse();
  }

  @Test
  void keepsTheFirstCutTimeWhenANameReappears() {
    ClientCutTracker tracker = new ClientCutTracker(List.of("slow-1"));
    tracker.observe(100, BOTH);
    tracker.observe(200, "");
    tracker.observe(300, BOTH);
    tracker.observe(400, "");

    assertThat(tracker.cutNanos("slow-1")).hasValue(200);
  }

  @Test
  void doesNotMatchANameThatOnlyStartsTheSame() {
    ClientCutTracker tracker = new ClientCutTracker(List.of("slow-1"));
    tracker.observe(100, BOTH);
    tracker.observe(200, "id=9 name=slow-10 age=1\n");

    assertThat(tracker.cutNanos("slow-1")).hasValue(200);
  }

  @Test
  void countsAClientCutBeforeItWasEverListedOnceItsSubscriptionWasConfirmed() {
    ClientCutTracker tracker = new ClientCutTracker(List.of("slow-1"));
    tracker.present("slow-1");

    tracker.observe(200, "id=2 name=fast\n");

    assertThat(tracker.cutNanos("slow-1")).hasValue(200);
  }
}
