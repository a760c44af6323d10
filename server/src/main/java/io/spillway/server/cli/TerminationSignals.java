package io.spillway.server.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Consumer;

/** Takes SIGTERM and SIGINT away from the JVM's default handling, which exits with 128 + the signal's number. */
final class TerminationSignals {

  /*
   * Design note. The JVM's own handler for TERM and INT runs the shutdown hooks and exits with 143 or 130, which a
   * supervisor reads as a failure even when the shutdown was clean; replacing the handler lets main() return and
   * exit 0. The only API for that is sun.misc.Signal (module jdk.unsupported, exported to the class path on JDK 17).
   * Naming it in source makes javac warn "internal proprietary API", a warning that @SuppressWarnings cannot silence
   * and -Werror turns into a build failure, so it is reached by reflection: a Proxy implements sun.misc.SignalHandler.
   * If the class is missing, or the JVM runs with -Xrs and refuses the signals, install() returns false and the
   * caller falls back to a shutdown hook.
   */

  private TerminationSignals() {}

  /**
   * Calls {@code handler} with the signal's name ({@code TERM} or {@code INT}) each time one arrives, on a thread the
   * JVM starts for that signal, instead of letting the JVM exit.
   *
   * @return false if the handlers could not be installed; the JVM's default handling then stays in place
   */
  static boolean install(Consumer<String> handler) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Method handle = signalType.getMethod("handle", signalType, handlerType);
      Method getName = signalType.getMethod("getName");
      Constructor<?> byName = signalType.getConstructor(String.class);
      InvocationHandler dispatch = (proxy, method, args) -> {
        switch (method.getName()) {
          case "handle":
            handler.accept((String) getName.invoke(args[0]));
            return null;
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          default:
            return "TerminationSignals handler";
        }
      };
      Object signalHandler = Proxy.newProxyInstance(
          TerminationSignals.class.getClassLoader(), new Class<?>[] {handlerType}, dispatch);
      for (String name : List.of("TERM", "INT")) {
        handle.invoke(null, byName.newInstance(name), signalHandler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
