package io.spillway.testkit;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty's leak detector (paranoid in tests, see the parent pom) reported a leaked
 * buffer. Registered for every test class through JUnit's extension auto-detection.
 */
public final class NettyLeakGate implements AfterAllCallback {

  private static final List<String> LEAKS = new ArrayList<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    // Leaks are found when a buffer is collected and another is then allocated: provoke both.
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
      PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
      Unpooled.directBuffer(1).release();
    }
    synchronized (LEAKS) {
      if (!LEAKS.isEmpty()) {
        String report = String.join("\n", LEAKS);
        LEAKS.clear();
        throw new AssertionError(
            "Netty reported leaked buffers in " + context.getDisplayName() + ":\n" + report);
      }
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @Deprecated
    @SuppressWarnings(
        "InlineMeSuggester") // implements Netty's abstract deprecated method: not an API of ours
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return newResourceLeakDetector(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval) {
      return new ResourceLeakDetector<T>(resource, samplingInterval) {
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
          record("LEAK: " + resourceType + records);
          super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
          record("LEAK: " + resourceType + " (untraced)");
          super.reportUntracedLeak(resourceType);
        }
      };
    }
  }

  private static void record(String leak) {
    synchronized (LEAKS) {
      LEAKS.add(leak);
    }
  }
}
