package io.spillway.server.fuzz;

import io.spillway.testkit.NettyLeakGate;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Netty's paranoid leak detection for jqwik containers, which JUnit Jupiter's auto-detected {@link NettyLeakGate}
 * does not reach: {@link #install()} in the container's static initializer, before any buffer is allocated, and
 * {@link #check(String)} from an {@code @AfterContainer} method. Any thread.
 */
public final class LeakGate {

  private LeakGate() {}

  /** Loads {@link NettyLeakGate}, whose static initializer makes Netty's leak reports recorded. */
  public static void install() {
    try {
      Class.forName(NettyLeakGate.class.getName(), true, LeakGate.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Provokes Netty's leak detector and throws an {@link AssertionError} naming {@code container} if it reported a
   * leaked buffer since the last check.
   */
  public static void check(String container) throws InterruptedException {
    ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(
        LeakGate.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class},
        (proxy, method, args) -> method.getName().equals("getDisplayName") ? container : null);
    new NettyLeakGate().afterAll(context);
  }
}
